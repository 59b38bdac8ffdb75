import fs from 'node:fs';
import path from 'node:path';
import type TelegramBot from 'node-telegram-bot-api';
import type { StoredVerdict } from '../../classifiers/verdict.js';
import { DEFAULT_TOPICS } from '../../classifiers/data/topic-training.js';
import type { Logger } from '../../config/logger.js';
import { TransportError } from '../../connectors/errors.js';
import { GaveUp } from '../../connectors/retry.js';
import type { TelegramClient } from '../../connectors/telegram/client.js';
import { selectionKey, type AwaitPurpose, type Awaiting, type Selection } from '../../store/bot-conversations.js';
import { ConcurrentChangeError, IncidentNotFoundError } from '../../store/errors.js';
import type { NoticeDelivery } from '../../store/notices.js';
import type { ClaimedWork, IncidentMessage, StaffAccount, Store, StoredCorrection, StoredIncident, StoredNotice, TenantRuntime } from '../../store/port.js';
import type { TenantRuntimeCache } from '../../store/tenant-runtime.js';
import { done, type Outcome as WorkOutcome } from '../processor.js';
import type { DraftKind } from '../../workflow/draft-check.js';
import { WorkflowError, type Actor, type Command, type ExplanationGround, type RejectReason } from '../../workflow/incident-machine.js';
import { STATE_INFO } from '../../workflow/incident-states.js';
import { absenceAt } from '../../workflow/routing.js';
import { canSee } from '../../workflow/visibility.js';
import { saveSignInToken } from '../../store/web/accounts.js';
import { newToken, signInLink, SIGN_IN_LINK_TTL_MS, tokenId } from '../../web/tokens.js';
import { decodeCallback, encodeCallback, tenantHash, type CallbackData } from './callback-data.js';
import { BOT_DRAFT_KINDS, currentSelection, EXPLANATION_GROUNDS, MAX_CARD_TEXT, REJECT_REASONS, renderCard, type CardRole, type CardView, type InlineButton } from './cards.js';
import { DUE_SOON_MS } from '../deadline-watch.js';
import { HELP, localTime, REFUSAL, STALE, STEP_LABELS } from './texts.js';
import { topicGuideMessages } from './topic-guide.js';

/**
 * The staff bot (issue 8): cards with buttons for curators and executors, the awaited
 * texts (drafts, comments) kept in the store, notices delivered once, and /due. Every
 * action goes through store/incidents.ts runCommand, so it is decided by the state
 * machine and lands in the incident's history.
 */
export interface StaffBotOptions {
  readonly store: Store;
  readonly client: TelegramClient;
  readonly runtimes: TenantRuntimeCache;
  readonly log: Logger;
  readonly now?: () => Date;
}

/** The bot serves the whole deployment: its update offset belongs to no tenant. */
const CURSOR = { tenant: '*', network: 'telegram', account: 'staff-bot', stream: 'updates' } as const;

function unavailable(number: number): string {
  return `Обращение № ${number} не найдено или недоступно вам: исполнитель видит обращения своего подразделения и те, что ведёт сам.`;
}

const NOTICE_GRACE_MS = 60_000;
/** Telegram unreachable: the notice waits a minute and goes out with the next round. */
const UNREACHABLE_RETRY_MS = 60_000;
const TELEGRAM_UNREACHABLE = 'Telegram unreachable';

/** A card's text beyond this is cut: Telegram refuses messages over 4096 characters. */
const MAX_TEXT = MAX_CARD_TEXT;

const PROMPTS: Readonly<Record<AwaitPurpose, string>> = {
  draft: 'Напишите текст следующим сообщением. Фото можно приложить к нему или отправить перед ним.',
  'not-competent': 'Напишите комментарий: почему обращение не относится к компетенции вашего подразделения и чьё оно (001 [11]).',
  'pass-on': 'Напишите, что сделало ваше подразделение: это увидит исполнитель следующего (001 [21]).',
  'rework-comment': 'Напишите комментарий для исполнителя: что доработать (001 [14]).',
  edit: 'Пришлите исправленный текст ответа следующим сообщением (001 [18]).',
  overturn: 'Напишите комментарий: почему отклонение отменяется.',
  'reject-comment': 'Напишите причину отклонения следующим сообщением.',
  location: 'Напишите место (улицу, дом, населённый пункт) следующим сообщением.',
  'close-no-reply': 'Напишите, почему обращение закрывается без ответа автора на запрос уточнения (001 [17]).',
  'resume-without-reply': 'Напишите, как исполнителю продолжить работу без уточнения.',
};

const DONE: Partial<Record<Command['type'], string>> = {
  'confirm-and-route': 'Обращение направлено исполнителю.',
  reject: 'Обращение отклонено.',
  overturn: 'Отклонение отменено: обращение снова на распределении.',
  take: 'Обращение взято в работу.',
  'return-not-competent': 'Обращение возвращено куратору.',
  'pass-on': 'Обращение передано следующему подразделению.',
  'submit-draft': 'Проект направлен на согласование куратору.',
  approve: 'Ответ согласован и передан на публикацию.',
  'edit-and-approve': 'Исправленный ответ согласован и передан на публикацию.',
  'return-for-rework': 'Проект возвращён исполнителю на доработку.',
};

type Outcome = { ok: true; incident: StoredIncident; findings: readonly string[] } | { ok: false; message: string; stale: boolean };

export class StaffBot {
  private offset: number | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: StaffBotOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private get store(): Store {
    return this.options.store;
  }

  // ------------------------------------------------------------------------------------
  // Polling

  /**
   * One getUpdates round; returns how many updates it handled. The offset is saved after
   * each update, so a restarted bot resumes after the last one it handled instead of
   * handling again what Telegram has not yet been told was read.
   */
  async pollOnce(): Promise<number> {
    const { client, log } = this.options;
    if (this.offset === undefined) {
      const saved = await this.store.cursors.load(CURSOR.tenant, CURSOR.network, CURSOR.account, CURSOR.stream);
      if (typeof saved === 'number') this.offset = saved;
    }
    const updates = await client.call('getUpdates', (bot) => bot.getUpdates({
      ...(this.offset === undefined ? {} : { offset: this.offset }),
      timeout: client.longPollWaitSec,
      // JSON-serialized, as the Bot API wants it (see connectors/telegram/connector.ts).
      allowed_updates: JSON.stringify(['message', 'callback_query']) as unknown as string[],
    }));
    for (const update of updates) {
      try {
        await this.handleUpdate(update);
      } catch (error) {
        // One update that fails must not stall the others: it is logged and skipped.
        log.error({ err: error, updateId: update.update_id }, 'staff bot: update failed');
      }
      this.offset = Math.max(this.offset ?? 0, update.update_id + 1);
      await this.store.cursors.save(CURSOR.tenant, CURSOR.network, CURSOR.account, this.offset, CURSOR.stream);
    }
    return updates.length;
  }

  async handleUpdate(update: TelegramBot.Update): Promise<void> {
    if (update.callback_query) await this.onCallback(update.callback_query);
    else if (update.message && update.message.chat.type === 'private' && update.message.from) await this.onMessage(update.message, update.message.from);
  }

  // ------------------------------------------------------------------------------------
  // Telegram calls

  private async send(chatId: number, text: string, keyboard: InlineButton[][] = []): Promise<void> {
    await this.options.client.call('sendMessage', (bot) => bot.sendMessage(chatId, text.slice(0, MAX_TEXT), keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : {}), String(chatId));
  }

  private async sendFile(chatId: number, file: string): Promise<void> {
    await this.options.client.call('sendDocument', (bot) => bot.sendDocument(chatId, fs.createReadStream(file), {}, { filename: path.basename(file), contentType: file.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream' }), String(chatId));
  }

  private async answer(queryId: string, text: string, alert = false): Promise<void> {
    await this.options.client.call('answerCallbackQuery', (bot) => bot.answerCallbackQuery(queryId, { text: text.slice(0, 200), show_alert: alert }));
  }

  /** Replaces a card in place; a card that cannot be edited (too old, deleted) is sent anew. */
  private async replaceCard(message: TelegramBot.Message | undefined, chatId: number, text: string, keyboard: InlineButton[][], textChanged = true): Promise<void> {
    if (!message) return this.send(chatId, text, keyboard);
    const { client, log } = this.options;
    const where = { chat_id: chatId, message_id: message.message_id };
    try {
      if (textChanged) {
        await client.call('editMessageText', (bot) => bot.editMessageText(text.slice(0, MAX_TEXT), { ...where, reply_markup: { inline_keyboard: keyboard } }), String(chatId));
      } else {
        await client.call('editMessageReplyMarkup', (bot) => bot.editMessageReplyMarkup({ inline_keyboard: keyboard }, where), String(chatId));
      }
    } catch (error) {
      log.warn({ err: error, chatId }, 'staff bot: card not edited; sending it anew');
      await this.send(chatId, text, keyboard);
    }
  }

  // ------------------------------------------------------------------------------------
  // Who is writing

  private async registered(user: TelegramBot.User, chatId: number, queryId?: string): Promise<StaffAccount[] | null> {
    const accounts = await this.store.staff.byTelegramId(user.id);
    if (accounts.length > 0) return accounts;
    // Citizens find bots too: they are answered politely and logged for the admin.
    this.options.log.warn({ telegramUserId: user.id, username: user.username ?? null, name: user.first_name }, 'staff bot: refused an unregistered user');
    if (queryId) await this.answer(queryId, `${REFUSAL}${user.id}`, true);
    else await this.send(chatId, `${REFUSAL}${user.id}`);
    return null;
  }

  private actor(account: StaffAccount): Actor {
    return { kind: 'staff', code: account.code, roles: account.roles };
  }

  // ------------------------------------------------------------------------------------
  // Cards

  private async topics(tenant: string, incident: StoredIncident): Promise<string[]> {
    const own = await this.store.tenants.topics(tenant);
    const list: string[] = own.length > 0 ? [...own] : [...DEFAULT_TOPICS];
    if (incident.topic && !list.includes(incident.topic)) list.unshift(incident.topic);
    return list;
  }

  /** The rule the web workplace applies too (workflow/visibility.ts): by role, department and stand-in. */
  private maySee(account: StaffAccount, runtime: TenantRuntime, incident: StoredIncident): boolean {
    const department = runtime.staff.find((s) => s.code === account.code)?.department ?? null;
    return canSee({ code: account.code, roles: account.roles, department }, incident, runtime.staff, this.now());
  }

  /** Renders a card for one person; each rendering shows the author's data and goes to the read register (152-ФЗ). */
  private async card(account: StaffAccount, runtime: TenantRuntime, incident: StoredIncident, message: IncidentMessage | null, role: CardRole, view: CardView = 'main', showTenant = false) {
    const conversation = await this.store.conversations.load(account.telegramUserId);
    await this.store.incidents.recordRead({
      tenant: runtime.tenant, number: incident.number, who: account.code, at: this.now(), via: 'bot', personalData: message !== null && !message.anonymous,
    });
    return renderCard({
      tenant: runtime.tenant, tenantTitle: runtime.title, timeZone: runtime.timeZone, incident, message,
      departments: runtime.departments, topics: await this.topics(runtime.tenant, incident),
      selection: conversation.selections[selectionKey(runtime.tenant, incident.number)] ?? null, role, view, showTenant,
      explanations: runtime.profile.steps.explanation.normal !== null,
    });
  }

  // ------------------------------------------------------------------------------------
  // Buttons

  private async onCallback(query: TelegramBot.CallbackQuery): Promise<void> {
    const chatId = query.message?.chat.id ?? query.from.id;
    const accounts = await this.registered(query.from, chatId, query.id);
    if (!accounts) return;
    const data = decodeCallback(query.data ?? '');
    if (!data) return this.answer(query.id, 'Эта кнопка больше не действует: откройте свежую карточку.', true);
    const account = accounts.find((a) => tenantHash(a.tenant) === data.tenantHash);
    if (!account) return this.answer(query.id, 'Эта карточка не относится к вашей администрации.', true);
    const now = this.now();
    if (data.action === 'tn') {
      await this.store.conversations.chooseTenant(query.from.id, account.tenant, now);
      const runtime = await this.options.runtimes.get(account.tenant, now.getTime());
      await this.answer(query.id, `Выбрано: ${runtime.title}`);
      return this.send(chatId, `Вы работаете как ${account.fullName}, ${runtime.title}.\n\n${HELP}`);
    }
    const runtime = await this.options.runtimes.get(account.tenant, now.getTime());
    const loaded = await this.store.incidents.withMessage(account.tenant, data.number);
    if (!loaded || !this.maySee(account, runtime, loaded.incident)) return this.answer(query.id, unavailable(data.number), true);
    const { incident, message } = loaded;
    const executorAction = ['tk', 'dr', 'nc', 'po', 'ex', 'eg'].includes(data.action) || (data.action === 'bk' && STATE_INFO[incident.state].holder === 'executor');
    const role: CardRole = executorAction ? 'executor' : 'curator';
    const showTenant = accounts.length > 1;
    // The card showed another state or version: someone else acted since.
    if (incident.history.length !== data.version || incident.state !== data.state) {
      await this.answer(query.id, `${STALE} Обращение № ${incident.number} сейчас ${STATE_INFO[incident.state].phrase}.`, true);
      const fresh = await this.card(account, runtime, incident, message, role, 'main', showTenant);
      return this.replaceCard(query.message, chatId, fresh.text, fresh.keyboard);
    }
    if (!account.roles.includes(role)) {
      return this.answer(query.id, role === 'curator' ? 'Это действие выполняет куратор.' : 'Это действие выполняет исполнитель.', true);
    }
    const key = selectionKey(account.tenant, incident.number);
    const selected = currentSelection(incident, (await this.store.conversations.load(query.from.id)).selections[key] ?? null);
    const redraw = async (view: CardView, textChanged: boolean, note = ''): Promise<void> => {
      await this.answer(query.id, note);
      const fresh = await this.card(account, runtime, incident, message, role, view, showTenant);
      await this.replaceCard(query.message, chatId, fresh.text, fresh.keyboard, textChanged);
    };
    const choose = async (selection: Selection, view: CardView = 'main'): Promise<void> => {
      await this.store.conversations.setSelection(query.from.id, key, selection, now);
      await redraw(view, true);
    };
    const awaitText = async (purpose: AwaitPurpose, draftKind?: DraftKind, ground?: ExplanationGround): Promise<void> => {
      const awaiting: Awaiting = {
        tenant: account.tenant, number: incident.number, version: incident.history.length, state: incident.state, purpose, attachments: [],
        ...(draftKind ? { draftKind } : {}), ...(ground ? { ground } : {}),
      };
      await this.store.conversations.setAwaiting(query.from.id, awaiting, now);
      await this.answer(query.id, '');
      await this.send(chatId, `Обращение № ${incident.number}. ${PROMPTS[purpose]}`);
    };
    const run = async (command: Command, corrections: StoredCorrection[] = []): Promise<void> => {
      const outcome = await this.execute(runtime, account, data, command, corrections);
      if (!outcome.ok) {
        await this.answer(query.id, outcome.message, true);
        if (outcome.stale) {
          const current = await this.store.incidents.withMessage(account.tenant, incident.number);
          if (current) {
            const fresh = await this.card(account, runtime, current.incident, current.message, role, 'main', showTenant);
            await this.replaceCard(query.message, chatId, fresh.text, fresh.keyboard);
          }
        }
        return;
      }
      await this.store.conversations.setSelection(query.from.id, key, null, now);
      await this.answer(query.id, DONE[command.type] ?? 'Готово');
      const fresh = await this.card(account, runtime, outcome.incident, message, role, 'main', showTenant);
      await this.replaceCard(query.message, chatId, `${DONE[command.type] ?? ''}\n\n${fresh.text}`.trim(), fresh.keyboard);
    };

    switch (data.action) {
      case 'ok':
        if (!selected.topic) return this.answer(query.id, 'Сначала выберите тему обращения.', true);
        return redraw('departments', false);
      case 'tp':
        // The topic list's text carries the topic guide (topic-guide.ts).
        return redraw('topics', true);
      case 'ts': {
        const topic = (await this.topics(account.tenant, incident))[Number(data.arg)];
        if (topic === undefined) return this.answer(query.id, 'Такой темы нет в списке.', true);
        return choose({ ...selected, topic });
      }
      case 'lc':
        return awaitText('location');
      case 'l0':
        return choose({ ...selected, location: null });
      case 'im':
        return choose({ ...selected, importance: selected.importance === 'high' ? 'normal' : 'high' });
      case 'dp': {
        const department = runtime.departments[Number(data.arg)];
        if (!department) return this.answer(query.id, 'Такого подразделения нет в справочнике.', true);
        // Pressed once: next in the order (001 [21]); pressed again: out of it.
        const departments = selected.departments.includes(department.code)
          ? selected.departments.filter((d) => d !== department.code)
          : [...selected.departments, department.code];
        return choose({ ...selected, departments }, 'departments');
      }
      case 'dc':
        return choose({ ...selected, departments: [] }, 'departments');
      case 'rt': {
        if (!selected.topic) return this.answer(query.id, 'Сначала выберите тему обращения.', true);
        return run(
          { type: 'confirm-and-route', topic: selected.topic, location: selected.location, importance: selected.importance, departments: selected.departments },
          this.triageCorrections(incident, message, selected, account.code, now),
        );
      }
      case 'rj':
        return redraw('reasons', false);
      case 'rr': {
        const reason = REJECT_REASONS[Number(data.arg)];
        if (!reason) return this.answer(query.id, 'Такого основания нет в перечне.', true);
        if (reason === 'other') return awaitText('reject-comment');
        return run({ type: 'reject', reason }, this.rejectCorrections(incident, message, reason, account.code, now));
      }
      case 'ov':
        return awaitText('overturn');
      case 'cn':
        return awaitText('close-no-reply');
      case 'rs':
        return awaitText('resume-without-reply');
      case 'bk':
        return redraw('main', data.arg === 't');
      case 'tk':
        return run({ type: 'take' });
      case 'dr': {
        const kind = BOT_DRAFT_KINDS.find((k) => k === data.arg);
        if (!kind) return this.answer(query.id, 'Неизвестный вид проекта.', true);
        return awaitText('draft', kind);
      }
      case 'nc':
        return awaitText('not-competent');
      case 'po':
        return awaitText('pass-on');
      case 'ex':
        return redraw('grounds', false);
      case 'eg': {
        const ground = EXPLANATION_GROUNDS[Number(data.arg)];
        if (!ground) return this.answer(query.id, 'Такого основания нет в перечне.', true);
        return awaitText('draft', 'explanation', ground);
      }
      case 'ap':
        return run({ type: 'approve' });
      case 'ed':
        return awaitText('edit');
      case 'rw':
        return awaitText('rework-comment');
    }
  }

  /** Runs a command as the card showed it; every refusal becomes a Russian answer. */
  private async execute(runtime: TenantRuntime, account: StaffAccount, card: Pick<CallbackData, 'number' | 'state' | 'version'>, command: Command, corrections: readonly StoredCorrection[]): Promise<Outcome> {
    const now = this.now();
    try {
      const { incident, decision } = await this.runOnCard(runtime, account, card, command, now);
      // Each curator change of the classifier's suggestion teaches it (store/classifier.ts).
      for (const c of corrections) await this.store.classifier.recordCorrection(runtime.tenant, c);
      this.options.log.info({ tenant: runtime.tenant, number: card.number, command: command.type, by: account.code, to: decision.to }, 'staff bot: command applied');
      return { ok: true, incident, findings: (decision.findings ?? []).map((f) => f.text) };
    } catch (error) {
      if (error instanceof ConcurrentChangeError) return { ok: false, stale: true, message: STALE };
      if (error instanceof WorkflowError) {
        const stale = error.code === 'stale' || error.code === 'invalid-transition';
        return { ok: false, stale, message: stale ? `${STALE} ${error.message}` : error.message };
      }
      if (error instanceof IncidentNotFoundError) return { ok: false, stale: false, message: error.message };
      throw error;
    }
  }

  /**
   * runCommand fences on the revision it read; the watcher bumps it when it records a
   * reminder. If that is all that happened (the history did not grow), the command is
   * decided again once on the incident as it is now — nobody else decided anything.
   */
  private async runOnCard(runtime: TenantRuntime, account: StaffAccount, card: Pick<CallbackData, 'number' | 'state' | 'version'>, command: Command, now: Date) {
    const expected = { ...command, expectedState: card.state } as Command;
    try {
      return await this.store.incidents.apply(runtime, card.number, expected, this.actor(account), now);
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError)) throw error;
      const current = await this.store.incidents.get(runtime.tenant, card.number);
      if (!current || current.history.length !== card.version || current.state !== card.state) throw error;
      return this.store.incidents.apply(runtime, card.number, expected, this.actor(account), now);
    }
  }

  private triageCorrections(incident: StoredIncident, message: IncidentMessage | null, s: Selection, by: string, at: Date): StoredCorrection[] {
    const verdict = incident.verdict as StoredVerdict | null;
    if (!message || !verdict) return [];
    const base = { text: message.text, by, at, incident: String(incident.number) };
    const out: StoredCorrection[] = [];
    if (s.topic && s.topic !== verdict.topic?.value) out.push({ ...base, kind: 'topic', value: s.topic, previous: verdict.topic?.value ?? null });
    if ((s.location ?? null) !== (verdict.location?.value ?? null)) out.push({ ...base, kind: 'location', value: s.location, previous: verdict.location?.value ?? null });
    if (s.importance !== verdict.importance?.value) out.push({ ...base, kind: 'importance', value: s.importance, previous: verdict.importance?.value ?? null });
    return out;
  }

  private rejectCorrections(incident: StoredIncident, message: IncidentMessage | null, reason: RejectReason, by: string, at: Date): StoredCorrection[] {
    const verdict = incident.verdict as StoredVerdict | null;
    if (!message || (verdict?.rejected && verdict.reasonCode === reason)) return [];
    return [{ text: message.text, kind: 'reject', value: reason, previous: verdict?.reasonCode ?? null, by, at, incident: String(incident.number) }];
  }

  private overturnCorrections(incident: StoredIncident, message: IncidentMessage | null, by: string, at: Date): StoredCorrection[] {
    const verdict = incident.verdict as StoredVerdict | null;
    if (!message) return [];
    const previous = incident.rejection?.code ?? verdict?.reasonCode ?? null;
    return [{ text: message.text, kind: 'unreject', value: null, previous, evidence: incident.rejection ? [] : [...(verdict?.evidence ?? [])], by, at, incident: String(incident.number) }];
  }

  // ------------------------------------------------------------------------------------
  // Messages

  private async onMessage(msg: TelegramBot.Message, from: TelegramBot.User): Promise<void> {
    const chatId = msg.chat.id;
    const accounts = await this.registered(from, chatId);
    if (!accounts) return;
    const text = (msg.text ?? msg.caption ?? '').trim();
    if (/^\/start\b/.test(text)) return this.start(chatId, accounts);
    if (/^\/due\b/.test(text)) return this.due(chatId, from.id, accounts);
    if (/^\/help\b/.test(text)) return this.send(chatId, HELP);
    if (/^\/login\b/.test(text)) return this.signInLink(chatId, from.id);
    // Telegram marks only Latin commands as such; «/темы» typed by hand is understood too.
    if (/^\/(?:topics|темы)(?:@\w+)?(?:\s|$)/u.test(text)) return this.topicGuide(chatId, from.id, accounts);
    const cardCommand = /^\/card\s+(\d+)/.exec(text);
    if (cardCommand) return this.showCard(chatId, from.id, accounts, Number(cardCommand[1]));
    const { awaiting } = await this.store.conversations.load(from.id);
    if (!awaiting) return this.send(chatId, `Бот сейчас не ждёт от вас текста: выберите действие кнопкой на карточке обращения.\n\n${HELP}`);
    const account = accounts.find((a) => a.tenant === awaiting.tenant);
    const now = this.now();
    if (!account) {
      await this.store.conversations.setAwaiting(from.id, null, now);
      return this.send(chatId, 'Вы больше не зарегистрированы в этой администрации: действие отменено.');
    }
    const photo = msg.photo?.[msg.photo.length - 1];
    let attachment: { type: string; url: string } | null = null;
    if (photo && awaiting.purpose === 'draft') {
      // Kept in the store at once (000 [16]): the publisher, perhaps on another machine, sends its bytes.
      const ref = await this.keepPhoto(account.tenant, photo.file_id, now).catch((error: unknown) => {
        this.options.log.warn({ err: error }, 'staff bot: a photo for a draft could not be fetched from Telegram');
        return null;
      });
      if (ref === null) return this.send(chatId, 'Не удалось получить фото из Telegram. Пришлите его ещё раз.');
      attachment = { type: 'photo', url: ref };
    }
    if (attachment && awaiting.purpose === 'draft' && text === '') {
      await this.store.conversations.addAwaitedAttachment(from.id, attachment, now);
      return this.send(chatId, 'Фото приложено к проекту. Теперь напишите текст следующим сообщением.');
    }
    if (text === '') return this.send(chatId, PROMPTS[awaiting.purpose]);
    const runtime = await this.options.runtimes.get(account.tenant, now.getTime());
    const loaded = await this.store.incidents.withMessage(account.tenant, awaiting.number);
    if (!loaded || loaded.incident.history.length !== awaiting.version || loaded.incident.state !== awaiting.state) {
      await this.store.conversations.setAwaiting(from.id, null, now);
      return this.send(chatId, `${STALE} Обращение № ${awaiting.number}${loaded ? ` сейчас ${STATE_INFO[loaded.incident.state].phrase}` : ' не найдено'}; ваш текст не отправлен.`);
    }
    const { incident, message } = loaded;
    const showTenant = accounts.length > 1;
    if (awaiting.purpose === 'location') {
      const key = selectionKey(account.tenant, incident.number);
      const selected = currentSelection(incident, (await this.store.conversations.load(from.id)).selections[key] ?? null);
      await this.store.conversations.setSelection(from.id, key, { ...selected, location: text }, now);
      await this.store.conversations.setAwaiting(from.id, null, now);
      const fresh = await this.card(account, runtime, incident, message, 'curator', 'main', showTenant);
      return this.send(chatId, fresh.text, fresh.keyboard);
    }
    const attachments = [...awaiting.attachments, ...(attachment ? [attachment] : [])];
    let command: Command;
    let corrections: StoredCorrection[] = [];
    switch (awaiting.purpose) {
      case 'draft':
        // The update's own ids make the draft id: a re-delivered update is refused as a duplicate.
        command = {
          type: 'submit-draft',
          draft: { id: `tg-${chatId}-${msg.message_id}`, kind: awaiting.draftKind ?? 'answer', text, attachments, ...(awaiting.ground ? { ground: awaiting.ground } : {}) },
        };
        break;
      case 'not-competent':
        command = { type: 'return-not-competent', comment: text };
        break;
      case 'pass-on':
        command = { type: 'pass-on', note: text };
        break;
      case 'rework-comment':
        command = { type: 'return-for-rework', comment: text };
        break;
      case 'edit':
        command = { type: 'edit-and-approve', text };
        break;
      case 'close-no-reply':
        command = { type: 'close-no-reply', comment: text };
        break;
      case 'resume-without-reply':
        command = { type: 'resume-without-reply', comment: text };
        break;
      case 'overturn':
        command = { type: 'overturn', comment: text };
        corrections = this.overturnCorrections(incident, message, account.code, now);
        break;
      case 'reject-comment':
        command = { type: 'reject', reason: 'other', comment: text };
        corrections = this.rejectCorrections(incident, message, 'other', account.code, now);
        break;
    }
    const outcome = await this.execute(runtime, account, { number: incident.number, state: awaiting.state, version: awaiting.version }, command, corrections);
    if (!outcome.ok) {
      // A stale card ends the wait; any other refusal (an empty comment) lets the user try again.
      if (outcome.stale) await this.store.conversations.setAwaiting(from.id, null, now);
      return this.send(chatId, outcome.message);
    }
    await this.store.conversations.setAwaiting(from.id, null, now);
    const role: CardRole = awaiting.purpose === 'draft' || awaiting.purpose === 'not-competent' || awaiting.purpose === 'pass-on' ? 'executor' : 'curator';
    const fresh = await this.card(account, runtime, outcome.incident, message, role, 'main', showTenant);
    // The pre-check's findings go to the executor at once (workflow/draft-check.ts).
    const findings = outcome.findings.length ? `\n\nЗамечания проверки (проект отправлен, но проверьте):\n${outcome.findings.map((f) => `• ${f}`).join('\n')}` : '';
    await this.send(chatId, `${DONE[command.type] ?? 'Готово.'}${findings}\n\n${fresh.text}`, fresh.keyboard);
  }

  /**
   * `/card N`: the card of any incident of the chosen tenant, for the reader's role. This
   * is how a curator reaches a message the classifier rejected (no notice is sent for
   * those) to overturn it (001 [7]).
   */
  private async showCard(chatId: number, telegramUserId: number, accounts: readonly StaffAccount[], number: number): Promise<void> {
    const { tenant: chosen } = await this.store.conversations.load(telegramUserId);
    const account = accounts.length === 1 ? accounts[0]! : accounts.find((a) => a.tenant === chosen);
    if (!account) return this.start(chatId, accounts);
    const now = this.now();
    const runtime = await this.options.runtimes.get(account.tenant, now.getTime());
    const loaded = await this.store.incidents.withMessage(account.tenant, number);
    // Another department's incident is as absent as one that does not exist.
    if (!loaded || !this.maySee(account, runtime, loaded.incident)) return this.send(chatId, unavailable(number));
    const role: CardRole = account.roles.includes('curator') ? 'curator' : account.roles.includes('executor') ? 'executor' : 'head';
    const card = await this.card(account, runtime, loaded.incident, loaded.message, role, 'main', accounts.length > 1);
    return this.send(chatId, card.text, card.keyboard);
  }

  /**
   * `/topics` (or `/темы`): the whole topic guide for the chosen tenant's topics, in as
   * few messages as fit Telegram's limit, HTML so topic names stand out.
   */
  private async topicGuide(chatId: number, telegramUserId: number, accounts: readonly StaffAccount[]): Promise<void> {
    const { tenant: chosen } = await this.store.conversations.load(telegramUserId);
    const account = accounts.length === 1 ? accounts[0]! : accounts.find((a) => a.tenant === chosen);
    if (!account) return this.start(chatId, accounts);
    const runtime = await this.options.runtimes.get(account.tenant, this.now().getTime());
    const own = await this.store.tenants.topics(account.tenant);
    for (const chunk of topicGuideMessages(runtime.title, own.length > 0 ? own : DEFAULT_TOPICS)) {
      await this.options.client.call('sendMessage', (bot) => bot.sendMessage(chatId, chunk, { parse_mode: 'HTML' }), String(chatId));
    }
  }

  /**
   * `/login`: a one-time link to the web workplace (web/), valid for 15 minutes. Only its
   * hash is stored; the preview is off, and the page asks for a press before it signs in,
   * so Telegram fetching the link does not spend it.
   */
  private async signInLink(chatId: number, telegramUserId: number): Promise<void> {
    const token = newToken();
    await saveSignInToken(this.store, tokenId(token), telegramUserId, this.now(), SIGN_IN_LINK_TTL_MS);
    const text = `Ссылка для входа в рабочее место (действует ${SIGN_IN_LINK_TTL_MS / 60000} минут, один раз; никому её не пересылайте):\n${signInLink(token)}`;
    // Bot API 7.0+: link_preview_options (JSON-serialized), which replaced disable_web_page_preview.
    const noPreview = { link_preview_options: JSON.stringify({ is_disabled: true }) } as unknown as TelegramBot.SendMessageOptions;
    await this.options.client.call('sendMessage', (bot) => bot.sendMessage(chatId, text, noPreview), String(chatId));
  }

  private async start(chatId: number, accounts: readonly StaffAccount[]): Promise<void> {
    if (accounts.length > 1) {
      const keyboard: InlineButton[][] = [];
      for (const a of accounts) {
        const runtime = await this.options.runtimes.get(a.tenant, this.now().getTime());
        keyboard.push([{ text: runtime.title, callback_data: encodeCallback({ tenantHash: tenantHash(a.tenant), number: 0, state: 'new', version: 0, action: 'tn', arg: '' }) }]);
      }
      return this.send(chatId, 'Вы зарегистрированы в нескольких администрациях. Выберите, с какой работаете: карточки приходят из всех, а /due покажет сроки выбранной.', keyboard);
    }
    const a = accounts[0]!;
    const runtime = await this.options.runtimes.get(a.tenant, this.now().getTime());
    return this.send(chatId, `Здравствуйте, ${a.fullName}! ${runtime.title}: ${a.roles.map((r) => ROLE_NAMES[r]).join(', ')}.\n\n${HELP}`);
  }

  private async due(chatId: number, telegramUserId: number, accounts: readonly StaffAccount[]): Promise<void> {
    const now = this.now();
    const { tenant: chosen } = await this.store.conversations.load(telegramUserId);
    const mine = accounts.length > 1 && chosen ? accounts.filter((a) => a.tenant === chosen) : accounts;
    const lines: string[] = [];
    for (const account of mine) {
      const runtime = await this.options.runtimes.get(account.tenant, now.getTime());
      // A deputy answers for the terms of the colleague they stand in for (000 [5], 001 [6]).
      const forWhom = new Set([account.code, ...runtime.staff.filter((s) => s.deputy === account.code && absenceAt(s, now)).map((s) => s.code)]);
      const curator = account.roles.includes('curator');
      // The head answers for the whole administration's terms (003 [12, 13]): everything.
      const head = account.roles.includes('head');
      const items = (await this.store.deadlines.due(now, DUE_SOON_MS, account.tenant))
        .filter((i) => head || (i.responsible === null ? curator : forWhom.has(i.responsible)));
      const line = (i: (typeof items)[number]) => `• № ${i.number} — ${STEP_LABELS[i.step]} до ${localTime(i.dueAt, runtime.timeZone)} (${i.stateLabel}${i.provisional ? `; ${i.provisional}` : ''})`;
      const overdue = items.filter((i) => i.overdue);
      const soon = items.filter((i) => !i.overdue);
      if (mine.length > 1) lines.push(runtime.title);
      if (overdue.length) lines.push('Просрочено:', ...overdue.map(line));
      if (soon.length) lines.push(`Истекает в ближайшие ${DUE_SOON_MS / 3600000} ч:`, ...soon.map(line));
      if (!items.length) lines.push('Сроков, которые истекают в ближайшие часы или просрочены, у вас нет.');
    }
    return this.send(chatId, lines.join('\n'));
  }

  /** A photo staff sent for a draft, fetched from Telegram (getFile, then the file server) and kept in the store. */
  private async keepPhoto(tenant: string, fileId: string, now: Date): Promise<string> {
    const file = await this.options.client.call('getFile', (bot) => bot.getFile(fileId)) as { file_path?: string };
    if (!file.file_path) throw new Error('getFile gave no file_path');
    const { data, contentType } = await this.options.client.downloadFile(file.file_path);
    return this.store.attachments.save(tenant, { kind: 'photo', fileName: path.basename(file.file_path) || 'photo.jpg', contentType: contentType ?? 'image/jpeg', data }, now);
  }

  // ------------------------------------------------------------------------------------
  // Notices

  /**
   * One queued notice delivered (the work processor calls it): done when it went out or can
   * never go out, back to the queue in a minute when Telegram is unreachable.
   */
  async deliverNotice(held: ClaimedWork<NoticeDelivery>): Promise<WorkOutcome> {
    return (await this.takeNotice(held)).outcome;
  }

  private async takeNotice(held: ClaimedWork<NoticeDelivery>): Promise<{ outcome: WorkOutcome; taken: boolean }> {
    const now = this.now();
    const id = held.item.payload?.notice ?? held.item.ref;
    const carried = held.item.payload?.content;
    const recorded = await this.store.notices.get(id);
    const notice: StoredNotice | null = recorded ?? (carried ? { ...carried, id, deliveredAt: null, createdAt: new Date(carried.createdAt) } : null);
    // Queued just before the notice was written and never written (a crash): nothing to send.
    if (!notice) {
      const outcome: WorkOutcome = now.getTime() - held.item.enqueuedAt.getTime() < NOTICE_GRACE_MS ? { kind: 'postpone', at: new Date(now.getTime() + 1000), note: 'notice not written yet' } : done;
      return { outcome, taken: false };
    }
    if (notice.deliveredAt) return { outcome: done, taken: false };
    if (!(await this.deliver(notice, now))) return { outcome: { kind: 'postpone', at: new Date(now.getTime() + UNREACHABLE_RETRY_MS), note: TELEGRAM_UNREACHABLE }, taken: true };
    await this.store.notices.markDelivered(notice.id, now, recorded ? undefined : notice);
    return { outcome: done, taken: true };
  }

  /** Delivers every notice waiting now (the worker runs a processor; tests call this); returns how many it took. */
  async deliverNotices(owner = 'staff-bot'): Promise<number> {
    let count = 0;
    for (;;) {
      const items = await this.store.work.claim<NoticeDelivery>('notice', owner, this.now(), 60_000, 20);
      if (items.length === 0) return count;
      const finished: typeof items = [];
      for (const [index, held] of items.entries()) {
        const { outcome, taken } = await this.takeNotice(held);
        if (taken) count += 1;
        if (outcome.kind === 'done') finished.push(held);
        else if (outcome.kind === 'postpone') {
          await this.store.work.postpone('notice', held, outcome.at, outcome.note);
          if (outcome.note === TELEGRAM_UNREACHABLE) {
            // Telegram is down: the rest of the round waits too, untouched.
            for (const rest of items.slice(index + 1)) await this.store.work.postpone('notice', rest, this.now(), 'waiting for Telegram');
            await this.store.work.complete('notice', finished);
            return count;
          }
        }
      }
      await this.store.work.complete('notice', finished);
    }
  }

  private async deliver(notice: StoredNotice, now: Date): Promise<boolean> {
    const { log } = this.options;
    let runtime: TenantRuntime;
    try {
      runtime = await this.options.runtimes.get(notice.tenant, now.getTime());
    } catch (error) {
      log.error({ err: error, notice: notice.id }, 'staff bot: notice of an unknown tenant dropped');
      return true;
    }
    const recipients = await this.store.staff.recipients(notice.tenant, notice.to, runtime.staff, now);
    if (recipients.length === 0) log.warn({ tenant: notice.tenant, to: notice.to, kind: notice.kind }, 'staff bot: nobody with Telegram to receive the notice');
    const loaded = notice.incidentNumber === null ? null : await this.store.incidents.withMessage(notice.tenant, notice.incidentNumber);
    let sent = 0;
    for (const recipient of recipients) {
      // An admin's notice (the calendar, dead letters) carries no card: read-only, as the head's.
      const role: CardRole = 'role' in notice.to ? (notice.to.role === 'admin' ? 'head' : notice.to.role) : recipient.roles.includes('executor') ? 'executor' : 'curator';
      try {
        const several = (await this.store.staff.byTelegramId(recipient.telegramUserId)).length > 1;
        if (loaded) {
          const card = await this.card(recipient, runtime, loaded.incident, loaded.message, role, 'main', several);
          await this.send(recipient.telegramUserId, `${notice.text}\n\n${card.text}`, card.keyboard);
        } else {
          await this.send(recipient.telegramUserId, several ? `${runtime.title}: ${notice.text}` : notice.text);
        }
        sent += 1;
        // The monthly report goes to the head as the file itself, not only its path (003 [13]).
        // The text (with the path) is already out: a failed upload is logged, not retried.
        if (notice.attachment && fs.existsSync(notice.attachment)) {
          await this.sendFile(recipient.telegramUserId, notice.attachment).catch((error: unknown) => log.warn({ err: error, to: recipient.code, file: notice.attachment }, 'staff bot: the file of a notice was not sent'));
        }
      } catch (error) {
        // Telegram unreachable or rate-limiting past the retries (not one chat's refusal):
        // nothing went out, so the notice waits for the next round instead of being lost.
        if (sent === 0 && unreachable(error)) return false;
        // One person who blocked the bot must not keep the notice from the others.
        log.warn({ err: error, to: recipient.code, notice: notice.id }, 'staff bot: notice not delivered to one recipient');
      }
    }
    return true;
  }
}

const ROLE_NAMES: Readonly<Record<string, string>> = { curator: 'куратор', executor: 'исполнитель', head: 'руководитель', admin: 'администратор' };

function unreachable(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  return error instanceof GaveUp && (error.error instanceof TransportError || error.decision.kind === 'retry' || error.decision.kind === 'rate-limited');
}
