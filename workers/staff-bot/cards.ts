import type { StoredVerdict } from '../../classifiers/verdict.js';
import type { Selection } from '../../store/bot-conversations.js';
import type { StoredIncident } from '../../store/port.js';
import type { IncidentMessage } from '../../store/port.js';
import { DRAFT_KIND_LABELS, type DraftKind } from '../../workflow/draft-check.js';
import { availableCommands, EXPLANATION_GROUND_LABELS, REJECT_REASON_LABELS, type ExplanationGround, type RejectReason } from '../../workflow/incident-machine.js';
import { STATE_INFO } from '../../workflow/incident-states.js';
import type { DepartmentEntry } from '../../workflow/routing.js';
import { encodeCallback, tenantHash, type CallbackAction } from './callback-data.js';
import { localTime, NETWORK_LABELS, STEP_LABELS } from './texts.js';
import { topicListGuide } from './topic-guide.js';

/** Pure: the text and buttons of an incident card for one staff role. */
export interface InlineButton {
  readonly text: string;
  readonly callback_data: string;
}

export interface Card {
  readonly text: string;
  readonly keyboard: InlineButton[][];
}

/** A card's text beyond this is cut: Telegram refuses messages over 4096 characters. */
export const MAX_CARD_TEXT = 4000;

export type CardView = 'main' | 'topics' | 'departments' | 'reasons' | 'grounds';
export type CardRole = 'curator' | 'executor' | 'head';

export interface CardInput {
  readonly tenant: string;
  readonly tenantTitle: string;
  readonly timeZone: string;
  readonly incident: StoredIncident;
  readonly message: IncidentMessage | null;
  readonly departments: readonly DepartmentEntry[];
  readonly topics: readonly string[];
  /** The curator's choices so far; null: the classifier's suggestions stand. */
  readonly selection: Selection | null;
  readonly role: CardRole;
  readonly view?: CardView;
  /** The profile sets a term for explanations instead of answers (004 [3.7]): offer them. */
  readonly explanations?: boolean;
  /** The card names the administration when the reader serves several. */
  readonly showTenant?: boolean;
}

export const REJECT_REASONS = Object.keys(REJECT_REASON_LABELS) as RejectReason[];
export const EXPLANATION_GROUNDS = Object.keys(EXPLANATION_GROUND_LABELS) as ExplanationGround[];
/** The draft kinds offered by a button each; an explanation goes through its ground first. */
export const BOT_DRAFT_KINDS: readonly DraftKind[] = ['answer', 'interim', 'clarification'];

// Not «4 рабочих часа»: only some profiles shorten the term for high importance (000 [9], 001 [8]).
const IMPORTANCE_LABELS = { normal: 'обычная', high: 'повышенная' } as const;

/** The classifier's suggestions, or the curator's choices over them. */
export function currentSelection(incident: StoredIncident, selection: Selection | null): Selection {
  return selection ?? {
    topic: incident.topic, location: incident.location, importance: incident.importance, departments: [...incident.departments],
  };
}

function verdictLines(verdict: StoredVerdict | null): string[] {
  if (!verdict) return [];
  const lines = ['Предложение классификатора:'];
  if (verdict.rejected) lines.push(`• Отклонить: ${verdict.reason ?? ''}${verdict.evidence.length ? ` — «${verdict.evidence.join('», «')}»` : ''}`);
  if (verdict.topic) lines.push(`• Тема: ${verdict.topic.value} (уверенность ${Math.round(verdict.topic.confidence * 100)} %)`);
  if (verdict.location) lines.push(`• Место: ${verdict.location.value} — по словам «${verdict.location.evidence}»`);
  if (verdict.importance) lines.push(`• Важность: ${IMPORTANCE_LABELS[verdict.importance.value]}${verdict.importance.reason ? ` — ${verdict.importance.reason}` : ''}`);
  if (verdict.competence) lines.push(`• Возможно, вне компетенции: ${verdict.competence.area} — «${verdict.competence.evidence.join('», «')}»`);
  if (verdict.repeatOf) lines.push(`• Повтор обращения № ${verdict.repeatOf.incidentId}`);
  if (verdict.languageNote) lines.push(`• ${verdict.languageNote}`);
  return lines;
}

function deptName(code: string, departments: readonly DepartmentEntry[]): string {
  return departments.find((d) => d.code === code)?.name ?? code;
}

export function cardText(input: CardInput): string {
  const { incident: i, message: m, timeZone } = input;
  const lines = [`${input.showTenant ? `${input.tenantTitle}\n` : ''}Обращение № ${i.number} · ${STATE_INFO[i.state].label}`];
  if (m) {
    lines.push(`${NETWORK_LABELS[m.network] ?? m.network} · ${m.anonymous ? 'анонимный автор' : `автор: ${m.authorName || m.authorId}`} · ${localTime(m.postedAt, timeZone)}`);
    if (m.url) lines.push(m.url);
    lines.push('', `«${m.text}»`);
    if (m.attachments.length > 0) lines.push(`Вложений: ${m.attachments.length}`);
  }
  if (input.role === 'curator' && (i.state === 'triage' || i.state === 'returned' || i.state === 'rejected')) {
    lines.push('', ...verdictLines(i.verdict as StoredVerdict | null));
    if (i.rejection) lines.push(`Отклонено куратором: ${i.rejection.label}${i.rejection.comment ? ` — ${i.rejection.comment}` : ''}`);
    const s = currentSelection(i, input.selection);
    lines.push(
      '', 'Решение куратора:',
      `• Тема: ${s.topic ?? 'не выбрана'}`,
      `• Место: ${s.location ?? 'не указано'}`,
      `• Важность: ${IMPORTANCE_LABELS[s.importance]}`,
      `• Подразделения: ${s.departments.length ? s.departments.map((d) => deptName(d, input.departments)).join(' → ') : 'не выбраны'}`,
    );
  } else {
    if (i.topic) lines.push('', `Тема: ${i.topic}${i.location ? ` · место: ${i.location}` : ''} · важность: ${IMPORTANCE_LABELS[i.importance]}`);
    if (i.departments.length) lines.push(`Подразделения: ${i.departments.map((d) => deptName(d, input.departments)).join(' → ')}`);
  }
  const last = i.drafts[i.drafts.length - 1];
  if (last && (i.state === 'review' || i.state === 'rework')) {
    lines.push('', `Проект: ${DRAFT_KIND_LABELS[last.kind]} (${last.author}):`, `«${last.text}»`);
    if (last.attachments.length) lines.push(`Фото и файлов: ${last.attachments.length}`);
    if (last.findings.length) lines.push('Замечания проверки:', ...last.findings.map((f) => `• ${f}`));
    if (last.reviewComment && i.state === 'rework') lines.push(`Комментарий куратора: ${last.reviewComment}`);
  }
  const open = i.deadlines.filter((d) => d.metAt === null && !d.conditional);
  if (open.length) {
    lines.push('', 'Сроки:');
    for (const d of open.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())) {
      lines.push(`• ${STEP_LABELS[d.step]} — до ${localTime(d.dueAt, timeZone)}${d.clause ? ` (${d.clause})` : ''}`);
    }
  }
  return lines.join('\n');
}

export function cardKeyboard(input: CardInput): InlineButton[][] {
  const { incident: i } = input;
  const button = (text: string, action: CallbackAction, arg = ''): InlineButton => ({
    text, callback_data: encodeCallback({ tenantHash: tenantHash(input.tenant), number: i.number, state: i.state, version: i.history.length, action, arg }),
  });
  if (input.role === 'head') return [];
  const commands = availableCommands(i.state, input.role);
  const rows: InlineButton[][] = [];
  const view = input.view ?? 'main';
  if (input.role === 'curator') {
    if (commands.includes('confirm-and-route')) {
      const s = currentSelection(i, input.selection);
      if (view === 'topics') {
        input.topics.forEach((t, index) => rows.push([button(t === s.topic ? `✓ ${t}` : t, 'ts', String(index))]));
        // The topic list's text carries the guide: going back redraws the text too.
        rows.push([button('← Назад', 'bk', 't')]);
        return rows;
      }
      if (view === 'departments') {
        input.departments.forEach((d, index) => {
          const at = s.departments.indexOf(d.code);
          rows.push([button(at >= 0 ? `${at + 1}. ${d.name}` : d.name, 'dp', String(index))]);
        });
        rows.push([button('Направить', 'rt'), button('Сбросить выбор', 'dc')]);
        rows.push([button('← Назад', 'bk')]);
        return rows;
      }
      if (view === 'reasons' && commands.includes('reject')) {
        REJECT_REASONS.forEach((r, index) => rows.push([button(REJECT_REASON_LABELS[r], 'rr', String(index))]));
        rows.push([button('← Назад', 'bk')]);
        return rows;
      }
      rows.push([button('Подтвердить и выбрать подразделения', 'ok')]);
      rows.push([button('Изменить тему', 'tp'), button('Указать место', 'lc'), button('Без места', 'l0')]);
      rows.push([button(s.importance === 'high' ? 'Важность: сделать обычной' : 'Важность: сделать повышенной', 'im')]);
    }
    if (commands.includes('reject')) rows.push([button('Отклонить', 'rj')]);
    if (commands.includes('overturn')) rows.push([button('Вернуть в работу', 'ov')]);
    if (commands.includes('approve')) rows.push([button('Согласовать', 'ap'), button('Исправить и согласовать', 'ed')]);
    if (commands.includes('return-for-rework')) rows.push([button('Вернуть на доработку', 'rw')]);
    // 001 [17]: the author did not answer the clarification request: close, or go on without it.
    if (commands.includes('close-no-reply')) rows.push([button('Закрыть: автор не ответил', 'cn')]);
    if (commands.includes('resume-without-reply')) rows.push([button('Продолжить без уточнения', 'rs')]);
    return rows;
  }
  if (view === 'grounds' && commands.includes('submit-draft')) {
    EXPLANATION_GROUNDS.forEach((g, index) => rows.push([button(GROUND_BUTTONS[g], 'eg', String(index))]));
    rows.push([button('← Назад', 'bk')]);
    return rows;
  }
  if (commands.includes('take')) rows.push([button('Взять в работу', 'tk')]);
  if (commands.includes('submit-draft')) rows.push(BOT_DRAFT_KINDS.map((k) => button(DRAFT_BUTTONS[k], 'dr', k)));
  if (commands.includes('submit-draft') && input.explanations) rows.push([button('Разъяснение вместо ответа (004 [3.7])', 'ex')]);
  // 001 [21]: departments work in the curator's order; all but the last pass it on.
  if (commands.includes('pass-on') && i.departments.length > (i.departmentIndex ?? 0) + 1) rows.push([button('Передать следующему подразделению', 'po')]);
  if (commands.includes('return-not-competent')) rows.push([button('Не в компетенции', 'nc')]);
  return rows;
}

const GROUND_BUTTONS: Readonly<Record<ExplanationGround, string>> = {
  'not-competent': 'Не в компетенции органов МСУ', unlawful: 'Требование в обход закона', court: 'Обжалование судебного акта', 'already-answered': 'Ответ уже давался',
};

const DRAFT_BUTTONS: Readonly<Record<DraftKind, string>> = {
  answer: 'Написать ответ', interim: 'Промежуточный ответ', clarification: 'Запросить уточнение', explanation: 'Разъяснение',
};

/**
 * The topic list is where the curator weighs one topic against another, so its card ends
 * with the guide for the suggested topic and the closest ones, just above their buttons.
 */
function topicListText(input: CardInput): string {
  const text = cardText(input);
  const { incident: i } = input;
  if (input.role !== 'curator' || !availableCommands(i.state, 'curator').includes('confirm-and-route')) return text;
  const verdict = i.verdict as StoredVerdict | null;
  const s = currentSelection(i, input.selection);
  const guide = topicListGuide({
    suggested: verdict?.topic?.value ?? null, runnerUp: verdict?.topic?.second?.value ?? null, selected: s.topic, topics: input.topics,
  }, MAX_CARD_TEXT - text.length - 2);
  return guide ? `${text}\n\n${guide}` : text;
}

export function renderCard(input: CardInput): Card {
  return { text: input.view === 'topics' ? topicListText(input) : cardText(input), keyboard: cardKeyboard(input) };
}
