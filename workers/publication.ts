import type { AnswerRef, NetworkConnector, PublishResult } from '../connectors/connector.js';
import type { AnswerAttachment } from '../connectors/attachments.js';
import { AccountSetupError } from '../connectors/factory.js';
import { publishAnswer, type PublishOutcome } from '../connectors/publish.js';
import type { MessageAttachment, MessageAuthor, Network, NormalizedMessage } from '../connectors/types.js';
import { ConcurrentChangeError } from '../store/errors.js';
import type { ClaimedWork, PublicationAttemptRecord, Store, StoredIncident, TenantRuntime } from '../store/port.js';
import type { PublishPayload } from '../store/publication.js';
import type { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { WorkflowError, type Actor, type Command, type DraftRecord } from '../workflow/incident-machine.js';
import type { PublishingConnectors } from './accounts.js';
import { done as settled, type Outcome } from './processor.js';

/**
 * The publisher's one step, separate from its loop for tests: one claimed `publish` item
 * becomes a published answer, a private message, or «Готово» with the regulation's
 * reason (001 [20], 004 [3.4]), or goes back to the queue, or to a person.
 *
 * At most once: the answer id given to the networks is the draft id, so VK drops a
 * repeated `guid`/`random_id`, and Telegram and OK find the attempt recorded before the
 * call (store/publish-attempts.ts) and do not post again; an attempt whose result cannot
 * be known goes to a person and is never repeated.
 */
export type PublishStepOutcome =
  /** Done: the incident is published, sent privately, or closed «Готово». */
  | 'published' | 'published-private' | 'no-channel'
  /** Nothing to do: already published, a newer draft, the incident gone or with a person. */
  | 'stale'
  /** The network asked to wait: back in the queue after that wait, no attempt spent. */
  | 'rate-limited'
  /** A transport or server failure: back in the queue with backoff. */
  | 'retry'
  /** The account cannot be used as configured: the curator is told, retried later. */
  | 'config'
  /** Whether it went out cannot be known: a person checks, nothing is posted again. */
  | 'uncertain';

export interface PublishStepReport {
  readonly outcome: PublishStepOutcome;
  readonly number?: number;
  readonly detail?: string;
  /** What the work processor does with the item: done, back later, or given up. */
  readonly settle: Outcome;
}

export interface PublishDeps {
  readonly store: Store;
  readonly runtimes: TenantRuntimeCache;
  readonly connectors: PublishingConnectors;
  /** Wall clock for the attempt records; tests pass their own. */
  readonly clock?: () => Date;
}

const PUBLISHER: Actor = { kind: 'system', name: 'publisher' };

// A failed call (timeout, 5xx) is retried inside the client already (connectors/retry.ts);
// the queue's own retries start at a minute and double, capped at ten minutes so that an
// outage of a network still leaves time inside the 30-minute publish term (000 [13], 001 [16]).
const RETRY_BASE_MS = 60 * 1000;
const RETRY_MAX_MS = 10 * 60 * 1000;
// A configuration error needs an admin; trying every ten minutes costs one call and
// publishes soon after the fix.
const CONFIG_RETRY_MS = 10 * 60 * 1000;
// The approval's write follows its queued item by milliseconds; one that has not landed
// after three looks five seconds apart failed (a concurrent change) and was not written.
const APPROVAL_RECHECK_MS = 5 * 1000;
const APPROVAL_RECHECKS = 3;
// Another process (a watcher's escalation mark, a staff command) changing the incident
// between our read and our write: reread and decide again, a few times.
const CONCURRENT_RETRIES = 5;
// Beyond a few minutes a wait can cost the 30-minute publish term: the curator hears of it.
const LONG_WAIT_MS = 5 * 60 * 1000;

const NETWORK_NAMES_RU: Readonly<Record<Network, string>> = { vk: 'во ВКонтакте', ok: 'в Одноклассниках', telegram: 'в Telegram', max: 'в MAX' };

/**
 * 001 [20]: the answer sent privately when the public reply is blocked says that the person
 * can also write to the administration's official accounts.
 */
export function privateFallbackText(answer: string, tenant: { title: string; networks: readonly string[] } | null): string {
  const names = (tenant?.networks ?? []).filter((n): n is Network => n in NETWORK_NAMES_RU).map((n) => NETWORK_NAMES_RU[n]);
  const where = names.length === 0 ? '' : ` ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} и ${names.at(-1)}`}`;
  const whose = tenant ? ` «${tenant.title}»` : ' администрации';
  return `${answer}\n\nОтвет направлен вам личным сообщением, так как опубликовать его под вашим сообщением не удалось. `
    + `Вы также можете обратиться к нам через официальные аккаунты${whose}${where}.`;
}

function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempts);
}

const ATTACHMENT_TYPES: ReadonlySet<string> = new Set(['photo', 'video', 'document', 'link', 'audio', 'other']);

/**
 * The draft's attachments as the networks take them (000 [16], 003 [8]): files kept in the
 * store (`attachment:<id>`, from the staff bot or the workplace) as bytes, links as links.
 * Anything else goes as a reference the connector reports back as undelivered, never as a
 * line of text in the answer.
 */
async function attachmentsOf(store: Store, draft: DraftRecord): Promise<AnswerAttachment[]> {
  const out: AnswerAttachment[] = [];
  for (const a of draft.attachments) {
    const file = await store.attachments.load(a.url);
    if (file) out.push({ kind: file.kind, fileName: file.fileName, contentType: file.contentType, data: file.data });
    else out.push({ type: (ATTACHMENT_TYPES.has(a.type) ? a.type : 'other') as MessageAttachment['type'], url: a.url });
  }
  return out;
}

/**
 * The connector as publishAnswer sees it, with every call recorded on the incident before
 * it is made and completed after (channel, key, times, result, the API's error), and the
 * draft's photos and links passed with the public reply (000 [16], 003 [8]).
 */
function recording(connector: NetworkConnector<unknown>, store: Store, incident: StoredIncident, draft: DraftRecord, files: readonly AnswerAttachment[], clock: () => Date): NetworkConnector<unknown> {
  async function recorded(channel: 'public' | 'private', idempotencyKey: string, call: () => Promise<PublishResult>): Promise<PublishResult> {
    const start: PublicationAttemptRecord = { draftId: draft.id, channel, idempotencyKey, startedAt: clock(), finishedAt: null, outcome: null, externalId: null, error: null };
    const position = await store.publication.attemptStarted(incident, start);
    const result = await call();
    const error = result.status === 'blocked' ? result.error : result.status === 'retryable' || result.status === 'config' ? result.error : null;
    await store.publication.attemptEnded(incident, position, start, {
      finishedAt: clock(), outcome: result.status, externalId: result.status === 'published' ? result.externalId : null,
      error: result.status === 'retryable' && result.waitMs !== undefined ? { description: result.error, waitMs: result.waitMs } : error,
    });
    return result;
  }
  return {
    network: connector.network,
    accountId: connector.accountId,
    fetchSince: (cursor) => connector.fetchSince(cursor),
    parseCursor: (stored) => connector.parseCursor(stored),
    // 004 [3.4]: the reply goes where the message is; to a private message it is private.
    reply: (answer: AnswerRef, message: NormalizedMessage, text: string) =>
      recorded(message.kind === 'private' ? 'private' : 'public', answer.answerId, () => connector.reply(answer, message, text, files)),
    // The private fallback (001 [20]) carries the same photos: it is the same answer.
    sendPrivate: (answer: AnswerRef, author: MessageAuthor, text: string) =>
      recorded('private', `${answer.answerId}:private`, () => connector.sendPrivate(answer, author, text, files)),
  };
}

/** Runs a command of the publisher, deciding again when the incident changed under it; null when it has moved on. */
async function advance(store: Store, runtime: TenantRuntime, number: number, command: Command, now: Date): Promise<StoredIncident | null> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return (await store.incidents.apply(runtime, number, command, PUBLISHER, now)).incident;
    } catch (error) {
      if (error instanceof ConcurrentChangeError && attempt < CONCURRENT_RETRIES) continue;
      // Someone else settled it first (a second publisher after a lost lease, the curator's «Готово»).
      if (error instanceof WorkflowError && (error.code === 'invalid-transition' || error.code === 'stale')) return null;
      throw error;
    }
  }
}

function approvedDraftOf(incident: StoredIncident): DraftRecord | undefined {
  const last = incident.drafts.at(-1);
  return last && last.reviewedAt !== null && last.decision !== 'returned' && last.decision !== 'edited' ? last : undefined;
}

function publicationOf(incident: StoredIncident): StoredIncident['publication'] {
  return incident.publication;
}

export async function publishWorkItem(deps: PublishDeps, work: ClaimedWork, now: Date): Promise<PublishStepReport> {
  const { store } = deps;
  const clock = deps.clock ?? (() => new Date());
  const tenant = work.item.tenant;
  const payload = work.item.payload as Partial<PublishPayload> | null;
  const done = async (outcome: PublishStepOutcome, number?: number, detail?: string): Promise<PublishStepReport> => ({
    outcome, settle: settled, ...(number === undefined ? {} : { number }), ...(detail === undefined ? {} : { detail }),
  });
  if (typeof payload?.number !== 'number' || typeof payload.draftId !== 'string') return done('stale', undefined, 'malformed payload');
  const { number, draftId } = payload;

  let incident = await store.incidents.get(tenant, number);
  // The item is queued just before the approval is written, so it can be claimed in
  // between: look again shortly, a few times, before taking it for an approval that failed.
  if (incident?.state === 'review' && work.item.attempts < APPROVAL_RECHECKS) {
    return { outcome: 'retry', number, detail: 'approval not written yet', settle: { kind: 'retry', at: new Date(now.getTime() + APPROVAL_RECHECK_MS), error: 'approval not written yet' } };
  }
  // A crash between queuing and the approval, a later draft, or an answer already out
  // all leave nothing to do here.
  if (!incident || (incident.state !== 'approved' && incident.state !== 'publishing')) return done('stale', number, incident ? `state ${incident.state}` : 'no incident');
  if (publicationOf(incident).manualCheck) return done('stale', number, 'with a person');
  const draft = approvedDraftOf(incident);
  if (!draft || draft.id !== draftId) return done('stale', number, 'not the approved draft');

  const runtime = await deps.runtimes.get(tenant, now.getTime());
  if (incident.state === 'approved') {
    incident = await advance(store, runtime, number, { type: 'publish-started' }, now);
    if (!incident || incident.state !== 'publishing') return done('stale', number, 'moved on before publishing');
  }
  const target = await store.publication.messageToAnswer(incident.message);
  if (!target) return handOver(deps, work, incident, draft, 'сообщение, на которое дан ответ, не найдено в хранилище', now);

  const configProblem = async (error: string): Promise<PublishStepReport> => {
    await store.notices.once(`publish-config:${tenant}:${number}:${draft.id}`, {
      tenant, incidentNumber: number, to: { role: 'curator' }, kind: 'publish-config', createdAt: now,
      text: `Обращение № ${number}: ответ не удаётся опубликовать из-за настройки аккаунта (${error}). `
        + 'Сообщите администратору системы; после исправления ответ будет опубликован автоматически.',
    });
    // A configuration error is not the item's fault: it waits for the admin without spending attempts.
    return { outcome: 'config', number, detail: error, settle: { kind: 'postpone', at: new Date(now.getTime() + CONFIG_RETRY_MS), note: error } };
  };

  let connector: NetworkConnector<unknown> | null;
  try {
    connector = await deps.connectors.connectorFor(tenant, target.message.network, target.account, now.getTime());
  } catch (error) {
    if (error instanceof AccountSetupError) return configProblem(error.message);
    throw error;
  }
  if (!connector) return configProblem(`аккаунт «${target.account || target.message.network}» не найден или отключён`);

  const fallback = privateFallbackText(draft.text, await deps.connectors.tenantInfo(tenant, now.getTime()));
  const files = await attachmentsOf(store, draft);
  const outcome: PublishOutcome = await publishAnswer(recording(connector, store, incident, draft, files, clock), { answerId: draft.id }, target.message, draft.text, fallback);

  switch (outcome.outcome) {
    case 'published-public':
    case 'published-private': {
      // A reply to a private message is the in-place answer (004 [3.4]); only a comment's
      // answer sent privately is the fallback of 001 [20].
      const inPlace = outcome.outcome === 'published-public' || target.message.kind === 'private';
      const after = await advance(store, runtime, number, { type: inPlace ? 'published' : 'published-privately' }, now);
      if (after && draft.kind === 'answer' && publicationOf(after).publicInterest) {
        // 004 [3.5]: information of interest to everyone also goes on the official pages and site.
        await store.notices.once(`official-post:${tenant}:${number}:${draft.id}`, {
          tenant, incidentNumber: number, to: { role: 'curator' }, kind: 'official-post', createdAt: now,
          text: `Обращение № ${number}: ответ представляет интерес для неограниченного круга пользователей — `
            + 'разместите информационное сообщение на официальных страницах и на официальном сайте в разделе «Информационные сообщения» (004 [3.5]).',
        });
      }
      if (outcome.undelivered && outcome.undelivered.length > 0) {
        await store.notices.once(`undelivered:${tenant}:${number}:${draft.id}`, {
          tenant, incidentNumber: number, to: { role: 'curator' }, kind: 'publish-undelivered', createdAt: now,
          text: `Обращение № ${number}: ответ опубликован, но не все вложения дошли до автора: ${outcome.undelivered.map((u) => `${u.name} — ${u.reason}`).join('; ')}.`,
        });
      }
      return done(inPlace ? 'published' : 'published-private', number, outcome.recovered ? 'recovered an earlier attempt' : undefined);
    }
    case 'no-technical-possibility': {
      const why = target.message.author.anonymous ? 'автор анонимен' : outcome.errors.map((e) => `${e.network} ${e.method}: ${e.code} ${e.description}`).join('; ');
      await advance(store, runtime, number, { type: 'no-channel', ...(why ? { detail: why } : {}) }, now);
      return done('no-channel', number, why);
    }
    case 'retryable':
      if (outcome.waitMs !== undefined) {
        // A long wait (or an absurd hint, held to an hour) is told to the curator: the
        // publish term (000 [13], 001 [16]) may run out while the answer waits.
        if (outcome.waitClamped || outcome.waitMs >= LONG_WAIT_MS) {
          await store.notices.once(`publish-waits:${tenant}:${number}:${draft.id}`, {
            tenant, incidentNumber: number, to: { role: 'curator' }, kind: 'publish-waits', createdAt: now,
            text: `Обращение № ${number}: сеть попросила подождать с публикацией ответа (${Math.round(outcome.waitMs / 60000)} мин${outcome.apiRetryAfterSec !== undefined ? `; сеть указала ${outcome.apiRetryAfterSec} с` : ''}). Ответ будет опубликован автоматически; при угрозе срока опубликуйте его вручную.`,
          });
        }
        // STYLE 3, 5: the network said how long; wait exactly that, and it is not a failure.
        return { outcome: 'rate-limited', number, detail: outcome.error, settle: { kind: 'postpone', at: new Date(now.getTime() + outcome.waitMs), note: outcome.error } };
      }
      return { outcome: 'retry', number, detail: outcome.error, settle: { kind: 'retry', at: new Date(now.getTime() + retryDelayMs(work.item.attempts)), error: outcome.error } };
    case 'config':
      return configProblem(outcome.error);
    case 'uncertain':
      return handOver(deps, work, incident, draft, `попытка отправки ${outcome.startedAt.toISOString()} прервана, и сеть не позволяет проверить, дошёл ли ответ`, now);
  }
}

/** The answer may or may not have gone out: a person looks, and the system posts nothing more. */
async function handOver(deps: PublishDeps, work: ClaimedWork, incident: StoredIncident, draft: DraftRecord, reason: string, now: Date): Promise<PublishStepReport> {
  const { store } = deps;
  await store.publication.handToPerson(incident, reason, now);
  await store.notices.once(`publish-uncertain:${incident.tenant}:${incident.number}:${draft.id}`, {
    tenant: incident.tenant, incidentNumber: incident.number, to: { role: 'curator' }, kind: 'publish-uncertain', createdAt: now,
    text: `Обращение № ${incident.number}: неизвестно, опубликован ли ответ (${reason}). Проверьте переписку в сети вручную; `
      + 'повторно система ответ не отправит, чтобы он не был опубликован дважды.',
  });
  return { outcome: 'uncertain', number: incident.number, detail: reason, settle: settled };
}
