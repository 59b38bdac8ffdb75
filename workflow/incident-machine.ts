// The incident state machine: one pure function from (incident, command, actor, context)
// to the change to make, or a WorkflowError with a Russian message for staff. No I/O: the
// store applies the decision with one atomic update (store/history.ts changeState, with
// `from` as the expected current state) and the workers send the notices.
//
// Readings chosen where the regulations are silent or ambiguous (each also where it is used):
// - Deadlines at triage use the classifier's suggested importance, so that a message it
//   thinks urgent is not given the longer term before the curator decides (000 [9], 001 [7]);
//   the curator's confirmation recomputes them.
// - A return «не в компетенции» after its term is still accepted and recorded late: a
//   refusal would leave the message with a department that cannot answer it, and the
//   regulations' remedy for a missed term is the executor's responsibility (000 [17],
//   003 [12]), not a lock.
// - A clarification request suspends the answer term: the regulations give no term while
//   the author is silent, and the author's silence is nobody's violation. The author's
//   reply is a new detection: the answer and draft terms count again from it. The wait
//   itself has a term, the profile's 'author-reply' (3 working days, profiles.ts): when it
//   passes the curator is reminded and decides — close it «Готово» (close-no-reply) or go
//   on without the reply (resume-without-reply); it is marked awaitsAuthor, never a violation.
// - An interim answer meets the answer term (000 [15], as planDeadlines reads it); the final
//   answer is then due by the profile's term or, where the profile sets none (001 [15]), by
//   the date the interim answer promised.
// - Several departments (001 [21]): they work in the curator's order; each passes the
//   incident on to the next, the last one submits the answer; the answer term is shared.
// - An executor who falls absent after the hand-over is replaced by their deputy as soon
//   as the deputy acts on the incident (000 [5], 001 [6]): the deputy's command is
//   accepted, and the incident and its terms pass to the deputy in the same change.
import type { ProductionCalendar } from './calendar.js';
import { clockFor, StepNotSetError, anchorOf, sameDayHandoverDue, stepDueDetail, type ProvisionalBasis } from './deadline-plan.js';
import { checkDraft, DRAFT_KIND_LABELS, findingLine, type DraftKind, type Finding } from './draft-check.js';
import { NO_CHANNEL_REASON, PUBLICATION_OUTCOMES, STATE_INFO, type IncidentState, type PublicationOutcome } from './incident-states.js';
import type { Anchor, Importance, RegulationProfile, Step } from './profiles.js';
import { COMMAND_LABELS, EXPLANATION_GROUND_LABELS, REJECT_REASON_LABELS, ROLE_LABELS } from './labels.js';
import { ABSENCE_LABELS, absenceAt, route, type DepartmentEntry, type StaffMember, type StaffRole } from './routing.js';

// The label tables used to live here; the UI imports them from labels.ts.
export { EXPLANATION_GROUND_LABELS, REJECT_REASON_LABELS };

// ---------------------------------------------------------------------------------------
// Data in: the incident as the store holds it (store/models/incident.ts), field for field.

export interface DraftRecord {
  readonly id: string;
  readonly kind: DraftKind;
  readonly text: string;
  readonly attachments: readonly { readonly type: string; readonly url: string }[];
  readonly author: string;
  readonly submittedAt: Date;
  /** findingLine() of each pre-check finding. */
  readonly findings: readonly string[];
  readonly reviewedBy: string | null;
  readonly reviewedAt: Date | null;
  readonly reviewComment: string | null;
  /** Not in the store model yet: how the review ended. */
  readonly decision?: 'approved' | 'returned' | 'edited' | null;
  /** Not in the store model yet: the date an interim answer promised the final one by (001 [15]). */
  readonly promisedBy?: Date | null;
  /** Not in the store model yet: why an explanation is given instead of an answer (004 [3.7]). */
  readonly ground?: ExplanationGround | null;
}

/** 004 [3.7]: the four kinds of message that get an explanation instead of an answer. */
export type ExplanationGround = 'not-competent' | 'unlawful' | 'court' | 'already-answered';


export interface DeadlineRecord {
  readonly step: Step;
  readonly dueAt: Date;
  /** Staff code who answers for it (000 [17], 003 [12]); null: the curators. */
  readonly responsible: string | null;
  readonly metAt: Date | null;
  readonly notified: readonly string[];
  /** Not in the store model yet: applies only if the step happens (a return, a clarification, an explanation); never overdue. */
  readonly conditional?: boolean;
  /** Not in the store model yet: the clause the term comes from, for Compass readers. */
  readonly clause?: string;
  /** Not in the store model yet: computed on a year whose calendar is not loaded; see reviseProvisional. */
  readonly provisional?: ProvisionalMark | null;
  /** Not in the store model yet: the term waits for the author, not for staff — it reminds the curator and is never a violation. */
  readonly awaitsAuthor?: boolean;
}

/** A due time resting on the Labour Code alone (calendar.ts isProvisional), shown with its note. */
export interface ProvisionalMark extends ProvisionalBasis {
  /** The instant the term counts from, so that it is recomputed once the year is imported. */
  readonly from: Date;
}

export interface HistoryRecord {
  readonly who: string;
  readonly at: Date;
  readonly from: string | null;
  readonly to: string;
  readonly why: string;
}

export type RejectReason = 'obscene' | 'insult' | 'threat' | 'violence-call' | 'advertising' | 'harm-intent' | 'competence' | 'other';


export interface WorkflowIncident {
  readonly number: number;
  readonly state: IncidentState;
  readonly topic: string | null;
  readonly location: string | null;
  readonly importance: Importance;
  readonly repeatOf: number | null;
  readonly departments: readonly string[];
  readonly assignee: string | null;
  readonly drafts: readonly DraftRecord[];
  readonly deadlines: readonly DeadlineRecord[];
  readonly nextDueAt: Date | null;
  readonly publication: {
    readonly outcome: string | null;
    readonly outcomeLabel: string | null;
    /** 004 [3.5]: the answer is of interest to everyone; after publication it also goes on the official pages and site. */
    readonly publicInterest?: boolean;
    /** The publisher could not tell whether the answer went out (store/publication.ts handToPerson): a person checks. */
    readonly manualCheck?: { readonly at: Date; readonly reason: string } | null;
  };
  readonly history: readonly HistoryRecord[];
  readonly detectedAt: Date;
  /** Not in the store model yet (the message has it): 004 [3.1], [3.7] count from posting. */
  readonly postedAt?: Date | null;
  /** Not in the store model yet: which of `departments` holds it now (001 [21]); 0 when absent. */
  readonly departmentIndex?: number;
  /** Not in the store model yet: a curator's rejection (a classifier's is in `verdict`). */
  readonly rejection?: { readonly code: RejectReason; readonly label: string; readonly comment: string | null; readonly by: string } | null;
  /** Not in the store model yet: 004 [3.8] conversion with the author's consent. */
  readonly appeal?: { readonly consentAt: Date; readonly consentHow: string; readonly registration: string | null } | null;
}

export type Actor =
  | { readonly kind: 'system'; readonly name: string }
  | { readonly kind: 'staff'; readonly code: string; readonly roles: readonly StaffRole[] };

/** The earlier incident a repeated message refers to (001 [19]). */
export interface EarlierIncident {
  readonly number: number;
  readonly departments: readonly string[];
  /** The text published to it, if any: the new answer must report progress beyond it. */
  readonly answer: string | null;
}

export interface WorkflowContext {
  readonly now: Date;
  readonly profile: RegulationProfile;
  readonly calendar: ProductionCalendar;
  /**
   * The tenant's staff and departments: needed to route (confirm-and-route, pass-on,
   * reassign) and to let a deputy act for an absent assignee (any executor command).
   */
  readonly staff?: readonly StaffMember[];
  readonly departments?: readonly DepartmentEntry[];
  readonly earlier?: EarlierIncident | null;
}

// ---------------------------------------------------------------------------------------
// Commands

export interface ClassifyVerdict {
  readonly rejected: boolean;
  readonly reason: string | null;
  readonly reasonCode: string | null;
  readonly topic?: string | null;
  readonly location?: string | null;
  readonly importance?: Importance;
  readonly repeatOf?: number | null;
}

export interface DraftInput {
  readonly id: string;
  readonly kind: DraftKind;
  readonly text: string;
  readonly attachments?: readonly { readonly type: string; readonly url: string }[];
  readonly promisedBy?: Date | null;
  /** Required for an explanation (004 [3.7]). */
  readonly ground?: ExplanationGround;
}

/** What a person found out about an answer whose delivery the publisher could not confirm. */
export type DeliveryOutcome = 'public' | 'private' | 'no-channel';

type Cmd<T extends string, P = object> = { readonly type: T; /** The state the staff card showed. */ readonly expectedState?: IncidentState } & P;

export type Command =
  | Cmd<'classify', { readonly verdict: ClassifyVerdict }>
  | Cmd<'reject', { readonly reason: RejectReason; readonly comment?: string }>
  | Cmd<'overturn', { readonly comment: string }>
  | Cmd<'link-repeat', { readonly earlier: number }>
  | Cmd<'unlink-repeat', { readonly comment: string }>
  | Cmd<'confirm-and-route', {
      readonly topic: string;
      readonly location: string | null;
      readonly importance: Importance;
      readonly departments: readonly string[];
      /** The curator's own choice of person, over routing. */
      readonly assignee?: string;
    }>
  | Cmd<'reassign', { readonly assignee: string; readonly comment: string }>
  | Cmd<'take'>
  | Cmd<'pass-on', { readonly note: string }>
  | Cmd<'return-not-competent', { readonly comment: string }>
  | Cmd<'submit-draft', { readonly draft: DraftInput }>
  | Cmd<'approve'>
  | Cmd<'edit-and-approve', { readonly text: string; readonly comment?: string }>
  | Cmd<'return-for-rework', { readonly comment: string }>
  | Cmd<'set-promised-date', { readonly promisedBy: Date }>
  | Cmd<'set-public-interest', { readonly publicInterest: boolean }>
  | Cmd<'publish-started'>
  | Cmd<'published'>
  | Cmd<'published-privately'>
  | Cmd<'no-channel', { readonly detail?: string }>
  | Cmd<'resolve-delivery', { readonly outcome: DeliveryOutcome; readonly comment: string }>
  | Cmd<'author-replied', { readonly messageId?: string }>
  | Cmd<'close-no-reply', { readonly comment: string }>
  | Cmd<'resume-without-reply', { readonly comment: string }>
  | Cmd<'convert-to-appeal', { readonly consent: { readonly at: Date; readonly how: string }; readonly registration?: string | null }>;

export type CommandType = Command['type'];

// ---------------------------------------------------------------------------------------
// Data out

export type NoticeTarget = { readonly role: 'curator' | 'head' } | { readonly staff: string };

export interface Notice {
  readonly to: NoticeTarget;
  readonly kind: 'new-incident' | 'new-incidents' | 'rejected-danger' | 'interim-required' | 'high-importance' | 'assigned' | 'draft-submitted' | 'rework' | 'returned' | 'published' | 'no-channel' | 'author-replied' | 'final-term-unset' | 'final-term-set' | 'closed' | 'resumed';
  /** Russian, for the staff bot. */
  readonly text: string;
}

/** The fields a decision changes, named as in the store model. */
export interface IncidentChanges {
  stateLabel: string;
  deadlines: DeadlineRecord[];
  nextDueAt: Date | null;
  topic?: string | null;
  location?: string | null;
  importance?: Importance;
  repeatOf?: number | null;
  departments?: string[];
  assignee?: string | null;
  drafts?: DraftRecord[];
  publication?: { outcome: string | null; outcomeLabel: string | null };
  /** Stored as `publication.publicInterest`. */
  publicInterest?: boolean;
  departmentIndex?: number;
  rejection?: WorkflowIncident['rejection'];
  appeal?: WorkflowIncident['appeal'];
}

export interface Decision {
  readonly command: CommandType;
  readonly from: IncidentState;
  readonly to: IncidentState;
  /** History: who, at, from, to, why — what changeState appends. */
  readonly who: string;
  readonly at: Date;
  readonly why: string;
  /** Fields to $set in the same update (deadlines and nextDueAt among them). */
  readonly set: IncidentChanges;
  /** The incident's deadlines after the change (also in `set`). */
  readonly deadlines: readonly DeadlineRecord[];
  readonly notices: readonly Notice[];
  /** The pre-check's findings on a submitted or edited draft: shown to the executor, advice to the curator. */
  readonly findings?: readonly Finding[];
}

export type WorkflowErrorCode =
  | 'invalid-transition'
  | 'stale'
  | 'role'
  | 'not-assignee'
  | 'missing-comment'
  | 'missing-field'
  | 'unknown-department'
  | 'nobody-available'
  | 'assignee-unavailable'
  | 'repeat-unknown'
  | 'repeat-department'
  | 'draft-kind'
  | 'draft-duplicate'
  | 'no-draft'
  | 'no-next-department'
  | 'explanation-ground'
  | 'consent-missing'
  | 'self-approval'
  | 'promised-date'
  | 'unchanged'
  | 'delivery-not-uncertain';

export class WorkflowError extends Error {
  override readonly name = 'WorkflowError';
  constructor(
    readonly code: WorkflowErrorCode,
    /** Russian, shown to staff as is. */
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------
// The table: every transition, who may make it, its guard, the deadlines it sets, and its
// effect. decide() checks the state and the role from the row, then runs the row's effect.

export type ActorRole = 'system' | 'curator' | 'executor';

export interface Transition {
  readonly command: CommandType;
  /** Russian: the button or the bot's word for it, as an infinitive («Согласовать ответ»). */
  readonly label: string;
  readonly from: readonly IncidentState[];
  readonly to: readonly IncidentState[];
  readonly roles: readonly ActorRole[];
  /** Russian: the condition beyond state and role. */
  readonly guard: string;
  /** Russian: the deadlines it closes and opens. */
  readonly deadlines: string;
  readonly clause: string;
}

const WORKING: readonly IncidentState[] = ['triage', 'assigned', 'draft', 'review', 'rework', 'awaiting-author', 'awaiting-final', 'returned'];
const WITH_EXECUTOR: readonly IncidentState[] = ['assigned', 'draft', 'rework', 'awaiting-author', 'awaiting-final'];

/** What a row's effect sees: the incident as the acting person has it, the command, and the tools for its terms. */
interface Env<C extends Command> {
  readonly incident: WorkflowIncident;
  readonly command: C;
  readonly ctx: WorkflowContext;
  readonly now: Date;
  /** The actor as history names them: a staff code or "system:publisher". */
  readonly actorCode: string;
  /** Each event's instant for terms that count from it; the events of this command are `now`. */
  readonly anchors: Anchors;
  /** The incident's terms to change, at its importance or at the one the command sets. */
  book(importance?: Importance): DeadlineBook;
}

type CommandOf<T extends CommandType> = Extract<Command, { readonly type: T }>;

/** One transition: where it leads from and to, who may make it, its guard and terms in Russian, and its effect. */
interface Row<T extends CommandType> extends Omit<Transition, 'command' | 'label'> {
  /** Checks what the states and roles cannot (a comment, a draft on review) and decides the change; throws WorkflowError. */
  readonly effect: (env: Env<CommandOf<T>>) => Outcome;
}

// Keyed by command, so that the compiler holds one row per command; the order is the order
// of a card's buttons (availableCommands).
const TABLE: { readonly [T in CommandType]: Row<T> } = {
  classify: {
    from: ['new'], to: ['rejected', 'triage'], roles: ['system'],
    guard: 'Вердикт классификатора; повтор связывается с прежним обращением, если оно известно',
    deadlines: 'Открывает сроки распределения и ответа (по предложенной важности)', clause: '000 [3, 6, 9]; 001 [8, 22]; 004 [3.1, 3.6]',
    effect: ({ incident, command, ctx, anchors, book }) => {
      const v = command.verdict;
      if (v.rejected) {
        // Not answered in public (002 [12], 004 [3.6]), but an intent to harm someone, the
        // author included («покончу с собой»), or a threat is danger a person must weigh now.
        const danger = v.reasonCode === 'harm-intent' || v.reasonCode === 'threat';
        const notices: Notice[] = danger ? [{
          to: { role: 'curator' }, kind: 'rejected-danger',
          text: `Сообщение № ${incident.number} отклонено классификатором: ${v.reason ?? 'угроза'}. Ответа в комментариях не будет, но проверьте его: если есть угроза жизни или здоровью, сообщите в экстренные службы (112).`,
        }] : [];
        return { to: 'rejected', why: v.reason ?? 'Отклонено классификатором', set: {}, book: book().cancelAll(), notices };
      }
      const importance = v.importance ?? 'normal';
      const repeatOf = v.repeatOf ?? null;
      const earlier = repeatOf !== null && ctx.earlier?.number === repeatOf ? ctx.earlier : null;
      const set: Outcome['set'] = { topic: v.topic ?? null, location: v.location ?? null, importance, repeatOf };
      if (earlier) set.departments = [...earlier.departments];
      // Terms from the suggested importance until the curator confirms it (000 [9]).
      const b = book(importance).open('triage', anchors, null).open('answer', anchors, null);
      const notices: Notice[] = [{ to: { role: 'curator' }, kind: 'new-incident', text: `Новое обращение № ${incident.number}${importance === 'high' ? ' (предположительно повышенной важности)' : ''}` }];
      // 001 [10]: before a day off the message is handed over the same day and the author gets an interim answer.
      const sameDay = sameDayHandoverDue(clockFor(ctx.profile, ctx.calendar), ctx.profile, incident.detectedAt.getTime());
      if (sameDay !== undefined) {
        notices.push({
          to: { role: 'curator' }, kind: 'interim-required',
          text: `Обращение № ${incident.number} поступило перед выходным: передайте его исполнителю сегодня до ${dateRu(new Date(sameDay), ctx.profile.timeZone).slice(-5)} и дайте автору промежуточный ответ (${ctx.profile.sameDayHandover?.clause ?? '001 [10]'})`,
        });
      }
      return {
        to: 'triage',
        why: repeatOf !== null ? `Повторное сообщение по обращению № ${repeatOf}` : 'Требует реагирования: передано куратору',
        set, book: b, notices,
      };
    },
  },
  reject: {
    from: ['triage', 'returned'], to: ['rejected'], roles: ['curator'],
    guard: 'Основание из перечня регламента; для «иной причины» — комментарий', deadlines: 'Снимает все открытые сроки', clause: '000 [3]; 001 [22]; 004 [3.6]',
    effect: ({ command, book, actorCode }) => {
      const label = REJECT_REASON_LABELS[command.reason];
      const comment = command.reason === 'other' ? requireComment(command.comment, 'Отклонение по иной причине') : (command.comment?.trim() || null);
      return {
        to: 'rejected',
        why: comment ? `${label}: ${comment}` : label,
        set: { rejection: { code: command.reason, label, comment, by: actorCode }, assignee: null },
        book: book().cancelAll(),
      };
    },
  },
  overturn: {
    from: ['rejected'], to: ['triage'], roles: ['curator'],
    guard: 'Комментарий куратора', deadlines: 'Распределение — от момента возврата; ответ — от выявления', clause: '001 [7]',
    effect: ({ command, now, anchors, book }) => {
      const comment = requireComment(command.comment, 'Возврат отклонённого в работу');
      // The curator works on it from now; the answer term runs from detection as before.
      const b = book().open('triage', { ...anchors, detected: now.getTime(), posted: now.getTime() }, null).open('answer', anchors, null);
      return { to: 'triage', why: `Отклонение отменено куратором: ${comment}`, set: { rejection: null }, book: b };
    },
  },
  'link-repeat': {
    from: ['triage'], to: ['triage'], roles: ['curator'],
    guard: 'Прежнее обращение найдено; подразделения подставляются из него', deadlines: 'Не меняет', clause: '001 [19]; 003 [11]',
    effect: ({ incident, command, ctx, book }) => {
      const earlier = ctx.earlier;
      if (!earlier || earlier.number !== command.earlier) {
        throw new WorkflowError('repeat-unknown', `Обращение № ${command.earlier} не найдено`, { earlier: command.earlier });
      }
      if (earlier.number === incident.number) throw new WorkflowError('repeat-unknown', 'Обращение не может быть повтором самого себя');
      return {
        to: incident.state,
        why: `Повторное сообщение по обращению № ${earlier.number}: направляется в то же подразделение (001 [19])`,
        set: { repeatOf: earlier.number, departments: [...earlier.departments] },
        book: book(),
      };
    },
  },
  'unlink-repeat': {
    from: WORKING, to: WORKING, roles: ['curator'],
    guard: 'Обращение отмечено как повторное; комментарий куратора; состояние и подразделения не меняются',
    deadlines: 'Не меняет', clause: '001 [19]; 003 [11]',
    effect: ({ incident, command, book }) => {
      if (incident.repeatOf === null) throw new WorkflowError('repeat-unknown', 'Обращение не отмечено как повторное');
      const comment = requireComment(command.comment, 'Снятие отметки о повторе');
      // The departments stay: the curator routes (or has routed) by the message itself.
      return { to: incident.state, why: `Снята отметка «повтор обращения № ${incident.repeatOf}»: ${comment}`, set: { repeatOf: null }, book: book() };
    },
  },
  'confirm-and-route': {
    from: ['triage', 'returned'], to: ['assigned'], roles: ['curator'],
    guard: 'Тема, важность и подразделения указаны; повторное — в то же подразделение; есть доступный исполнитель или заместитель',
    deadlines: 'Закрывает распределение; ответ — по подтверждённой важности; проект, возврат, уточнение, разъяснение — от передачи',
    clause: '000 [9, 10]; 001 [7, 9, 11, 17, 21]; 003 [13]; 004 [3.1, 3.7]',
    effect: ({ incident, command, ctx, anchors, book }) => {
      if (!present(command.topic)) throw new WorkflowError('missing-field', 'Укажите тему обращения', { field: 'topic' });
      const departments = command.departments.map((d) => d.trim()).filter(Boolean);
      if (departments.length === 0) throw new WorkflowError('missing-field', 'Укажите подразделение', { field: 'departments' });
      if (new Set(departments).size !== departments.length) throw new WorkflowError('missing-field', 'Подразделение указано дважды', { field: 'departments' });
      const directory = ctx.departments ?? [];
      const unknown = departments.filter((d) => !directory.some((e) => e.code === d));
      if (unknown.length > 0) throw new WorkflowError('unknown-department', `Подразделение не найдено в справочнике: ${unknown.join(', ')}`, { departments: unknown });
      // 001 [19], 003 [11]: a repeated message goes to the department that handled the earlier one.
      if (incident.repeatOf !== null && ctx.earlier?.number === incident.repeatOf && ctx.earlier.departments.length > 0) {
        const same = ctx.earlier.departments.some((d) => departments.includes(d));
        if (!same) {
          throw new WorkflowError('repeat-department', `Повторное сообщение направляется в то же подразделение, что и обращение № ${ctx.earlier.number}: ${ctx.earlier.departments.map((d) => `«${deptName(d, ctx)}»`).join(', ')}`, {
            earlierDepartments: ctx.earlier.departments,
          });
        }
      }
      const first = departments[0]!;
      const assignee = command.assignee !== undefined ? chosenAssignee(command.assignee, ctx) : routed(first, ctx, []);
      const b = book(command.importance)
        .meet('triage')
        .open('answer', anchors, assignee.code)
        .open('draft', anchors, assignee.code)
        .open('return', anchors, assignee.code, true)
        .open('clarification-notice', anchors, assignee.code, true)
        .open('explanation', anchors, assignee.code, true);
      const order = departments.length > 1 ? ` Очерёдность подразделений: ${departments.map((d) => deptName(d, ctx)).join(' → ')}.` : '';
      return {
        to: 'assigned',
        why: `${assignee.why}.${order}`,
        set: { topic: command.topic.trim(), location: command.location?.trim() || null, importance: command.importance, departments, assignee: assignee.code, departmentIndex: 0 },
        book: b,
        notices: [
          { to: { staff: assignee.code }, kind: 'assigned', text: `Вам передано обращение № ${incident.number}: ${command.topic.trim()}${command.importance === 'high' ? ' (повышенной важности)' : ''}` },
          // 003 [13]: a socially significant message is reported to the head at once.
          ...(command.importance === 'high'
            ? [{ to: { role: 'head' as const }, kind: 'high-importance' as const, text: `Обращение № ${incident.number} повышенной важности: ${command.topic.trim()}${command.location?.trim() ? `, ${command.location.trim()}` : ''}. Направлено: ${deptName(first, ctx)}` }]
            : []),
        ],
      };
    },
  },
  reassign: {
    from: WITH_EXECUTOR, to: WITH_EXECUTOR, roles: ['curator'],
    guard: 'Новый исполнитель — действующий и не отсутствует; комментарий куратора; состояние не меняется',
    deadlines: 'Сроки не меняются: ответственным становится новый исполнитель', clause: '000 [5]; 001 [6]',
    effect: ({ incident, command, ctx, book }) => {
      const comment = requireComment(command.comment, 'Передача другому исполнителю');
      if (command.assignee === incident.assignee) throw new WorkflowError('assignee-unavailable', 'Обращение уже у этого исполнителя', { assignee: command.assignee });
      const chosen = chosenAssignee(command.assignee, ctx);
      return {
        to: incident.state,
        why: `${chosen.why}: ${comment}`,
        set: { assignee: chosen.code },
        book: book().reassign(incident.assignee, chosen.code),
        notices: [{ to: { staff: chosen.code }, kind: 'assigned', text: `Вам передано обращение № ${incident.number}: ${comment}` }],
      };
    },
  },
  take: {
    from: ['assigned'], to: ['draft'], roles: ['executor'],
    guard: 'Только исполнитель, которому передано обращение', deadlines: 'Не меняет', clause: '000 [10]; 001 [9]',
    effect: ({ book }) => ({ to: 'draft', why: 'Исполнитель взял в работу', set: {}, book: book() }),
  },
  'pass-on': {
    from: ['assigned', 'draft'], to: ['assigned'], roles: ['executor'],
    guard: 'Есть следующее подразделение в очерёдности куратора и доступный в нём исполнитель', deadlines: 'Сроки общие: меняется ответственный', clause: '001 [21]',
    effect: ({ incident, command, ctx, book }) => {
      const note = requireComment(command.note, 'Передача следующему подразделению');
      const index = incident.departmentIndex ?? 0;
      const next = incident.departments[index + 1];
      if (next === undefined) throw new WorkflowError('no-next-department', 'Ваше подразделение последнее в очерёдности: направьте проект ответа на согласование');
      const assignee = routed(next, ctx, []);
      return {
        to: 'assigned',
        why: `Передано следующему подразделению (001 [21]): ${assignee.why}. Подготовлено: ${note}`,
        set: { assignee: assignee.code, departmentIndex: index + 1 },
        book: book().reassign(incident.assignee, assignee.code),
        notices: [{ to: { staff: assignee.code }, kind: 'assigned', text: `Вам передано обращение № ${incident.number} после подразделения «${deptName(incident.departments[index] ?? '', ctx)}»: ${note}` }],
      };
    },
  },
  'return-not-competent': {
    from: ['assigned', 'draft'], to: ['returned'], roles: ['executor'],
    guard: 'Только исполнитель обращения, с комментарием; после срока — принимается с отметкой о нарушении',
    deadlines: 'Закрывает срок возврата; снимает срок проекта; открывает распределение от момента возврата', clause: '001 [11]',
    effect: ({ incident, command, ctx, now, anchors, book }) => {
      const comment = requireComment(command.comment, 'Возврат как не относящегося к компетенции');
      const due = book().dueOf('return');
      const late = due !== null && now.getTime() > due.getTime();
      // The curator routes it again: a fresh triage term from the return (001 [11]).
      const b = book()
        .meet('return')
        .cancel('draft', 'clarification-notice', 'explanation', 'triage')
        .reassign(incident.assignee, null)
        .open('triage', { ...anchors, detected: now.getTime(), posted: now.getTime() }, null);
      return {
        to: 'returned',
        why: `Не относится к компетенции подразделения: ${comment}${late ? ` (возвращено с нарушением срока, срок истёк ${dateRu(due, ctx.profile.timeZone)})` : ''}`,
        set: { assignee: null },
        book: b,
        notices: [{ to: { role: 'curator' }, kind: 'returned', text: `Обращение № ${incident.number} возвращено исполнителем как не относящееся к компетенции его подразделения: ${comment}` }],
      };
    },
  },
  'submit-draft': {
    from: ['assigned', 'draft', 'rework', 'awaiting-final', 'awaiting-author'], to: ['review'], roles: ['executor'],
    guard: 'Только исполнитель обращения (или его заместитель на время отсутствия); вид проекта допустим в этом состоянии; для разъяснения — основание по 004 [3.7]; проверка проекта — совет, не запрет',
    deadlines: 'Закрывает срок проекта или доработки (уточнение — и срок уведомления); открывает срок согласования', clause: '000 [10, 11]; 001 [9, 12, 13, 17]; 003 [8, 9]',
    effect: ({ incident, command, ctx, anchors, book, actorCode }) => submitDraft(incident, command.draft, actorCode, ctx, anchors, book()),
  },
  approve: {
    from: ['review'], to: ['approved'], roles: ['curator'],
    guard: 'Есть проект на согласовании; согласует не его автор', deadlines: 'Закрывает срок согласования; открывает срок размещения', clause: '000 [11, 13]; 001 [13, 16]; 003 [9, 10]',
    effect: approveDraft,
  },
  'edit-and-approve': {
    from: ['review'], to: ['approved'], roles: ['curator'],
    guard: 'Исправленный текст не пуст; исправляет и согласует не автор проекта', deadlines: 'Как при согласовании', clause: '001 [18]',
    effect: approveDraft,
  },
  'return-for-rework': {
    from: ['review'], to: ['rework'], roles: ['curator'],
    guard: 'Комментарий куратора', deadlines: 'Закрывает срок согласования; открывает срок доработки', clause: '000 [12]; 001 [14, 15]; 003 [9]',
    effect: ({ incident, command, now, anchors, book, actorCode }) => {
      const comment = requireComment(command.comment, 'Возврат на доработку');
      const current = lastDraft(incident);
      if (!current || current.reviewedAt !== null) throw new WorkflowError('no-draft', 'Нет проекта на согласовании');
      const drafts = [...incident.drafts.slice(0, -1), { ...current, reviewedBy: actorCode, reviewedAt: now, reviewComment: comment, decision: 'returned' as const }];
      return {
        to: 'rework',
        why: `Возвращено на доработку: ${comment}`,
        set: { drafts },
        book: book().meet('review').open('rework', anchors, incident.assignee),
        notices: incident.assignee ? [{ to: { staff: incident.assignee }, kind: 'rework', text: `Проект ответа на обращение № ${incident.number} возвращён на доработку: ${comment}` }] : [],
      };
    },
  },
  'set-promised-date': {
    from: ['review', 'awaiting-final'], to: ['review', 'awaiting-final'], roles: ['curator'],
    guard: 'Промежуточный ответ на согласовании или опубликован; дата позже текущего момента',
    deadlines: 'Где регламент не задаёт срок окончательного ответа — срок окончательного ответа на эту дату', clause: '001 [15]',
    effect: ({ incident, command, ctx, book }) => {
      const promisedBy = promisedDate(command.promisedBy, ctx);
      const d = lastDraft(incident);
      const pending = incident.state === 'review' ? d?.reviewedAt === null : d?.decision === 'approved';
      if (!d || !pending || d.kind !== 'interim') {
        throw new WorkflowError('promised-date', 'Дату окончательного ответа указывают только в промежуточном ответе', { field: 'promisedBy' });
      }
      const drafts = [...incident.drafts.slice(0, -1), { ...d, promisedBy }];
      const b = book();
      const when = dateRu(promisedBy, ctx.profile.timeZone);
      const notices: Notice[] = [];
      // 001 [15]: where the profile sets no term for the final answer, the promised date is its term.
      if (incident.state === 'awaiting-final' && ctx.profile.steps['final-after-interim'][incident.importance] === null) {
        b.cancel('final-after-interim').openAt('final-after-interim', promisedBy, incident.assignee, '001 [15]');
        if (incident.assignee) notices.push({ to: { staff: incident.assignee }, kind: 'final-term-set', text: `Обращение № ${incident.number}: окончательный ответ обещан автору до ${when}` });
      }
      return { to: incident.state, why: `Дата окончательного ответа, обещанная в промежуточном ответе: ${when}`, set: { drafts }, book: b, notices };
    },
  },
  'set-public-interest': {
    from: [...WORKING, 'approved', 'publishing'], to: [...WORKING, 'approved', 'publishing'], roles: ['curator'],
    guard: 'До публикации ответа; отметка меняется (ставится или снимается)', deadlines: 'Не меняет', clause: '004 [3.5]',
    effect: ({ incident, command, book }) => {
      if (typeof command.publicInterest !== 'boolean') throw new WorkflowError('missing-field', 'Укажите, представляет ли ответ общий интерес', { field: 'publicInterest' });
      const current = incident.publication.publicInterest === true;
      if (command.publicInterest === current) {
        throw new WorkflowError('unchanged', current ? 'Ответ уже отмечен как представляющий общий интерес' : 'Ответ и так не отмечен как представляющий общий интерес');
      }
      return {
        to: incident.state,
        // 004 [3.5]: plans, announcements, opening hours go on the official pages and site too.
        why: command.publicInterest ? 'Ответ представляет общий интерес: после публикации разместить его также на официальных страницах и сайте' : 'Снята отметка об общем интересе ответа',
        set: { publicInterest: command.publicInterest },
        book: book(),
      };
    },
  },
  'publish-started': {
    from: ['approved'], to: ['publishing'], roles: ['system'],
    guard: 'Есть согласованный проект', deadlines: 'Не меняет', clause: '000 [13]; 001 [16]',
    effect: ({ incident, book }) => {
      const d = approvedDraft(incident);
      return { to: 'publishing', why: `Публикация проекта ${d.id}`, set: {}, book: book() };
    },
  },
  published: {
    from: ['publishing'], to: ['published', 'awaiting-final', 'awaiting-author', 'explained'], roles: ['system'],
    guard: 'Состояние — по виду проекта: ответ, промежуточный ответ, уточнение, разъяснение',
    deadlines: 'Закрывает размещение и ответ; промежуточный — открывает срок окончательного ответа; уточнение — приостанавливает срок ответа и открывает срок ожидания ответа автора',
    clause: '000 [13, 15]; 001 [16, 17]; 004 [3.4, 3.7]',
    effect: ({ incident, ctx, anchors, book }) => published(incident, approvedDraft(incident), 'public', ctx, anchors, book()),
  },
  'published-privately': {
    from: ['publishing'], to: ['published-private', 'awaiting-final', 'awaiting-author', 'explained'], roles: ['system'],
    guard: 'Публичный ответ заблокирован; состояние — по виду проекта', deadlines: 'Как при публикации', clause: '001 [20]; 004 [3.4]',
    effect: ({ incident, ctx, anchors, book }) => published(incident, approvedDraft(incident), 'private', ctx, anchors, book()),
  },
  'no-channel': {
    from: ['approved', 'publishing'], to: ['closed-no-channel'], roles: ['system', 'curator'],
    guard: 'Автор анонимен или закрыл личные сообщения', deadlines: 'Закрывает все сроки', clause: '001 [20]',
    effect: ({ incident, command, book }) => noChannel(incident, command.detail?.trim() || null, book()),
  },
  'resolve-delivery': {
    from: ['publishing'], to: ['published', 'published-private', 'awaiting-final', 'awaiting-author', 'explained', 'closed-no-channel'], roles: ['curator'],
    guard: 'Система не смогла установить, ушёл ли ответ (передано на проверку человеку); комментарий — что проверено',
    deadlines: 'Как при публикации, отправке личным сообщением или «Готово»', clause: '001 [16, 20]',
    effect: ({ incident, command, ctx, anchors, book }) => {
      // The publisher hands an attempt it cannot confirm to a person and never retries it;
      // until then the publisher's own outcome is the one to wait for.
      if (!incident.publication.manualCheck) {
        throw new WorkflowError('delivery-not-uncertain', 'Ответ ещё публикуется: вручную результат отмечают, только когда система не смогла его установить');
      }
      if (!['public', 'private', 'no-channel'].includes(command.outcome)) {
        throw new WorkflowError('missing-field', 'Укажите результат: опубликовано, отправлено личным сообщением или «Готово» без публикации', { field: 'outcome' });
      }
      const checked = `проверено куратором: ${requireComment(command.comment, 'Результат публикации')}`;
      const out = command.outcome === 'no-channel'
        ? noChannel(incident, checked, book())
        : published(incident, approvedDraft(incident), command.outcome, ctx, anchors, book());
      return command.outcome === 'no-channel' ? out : { ...out, why: `${out.why} (${checked})` };
    },
  },
  'author-replied': {
    from: ['awaiting-author'], to: ['draft'], roles: ['system'],
    guard: 'Новое сообщение того же автора в том же месте или в личных сообщениях после запроса (isClarificationReply); обращение остаётся у того же исполнителя',
    deadlines: 'Закрывает ожидание ответа автора; срок ответа и проекта — заново от ответа автора', clause: '001 [17]',
    effect: ({ incident, command, now, anchors, book }) => {
      if (!incident.assignee) throw new WorkflowError('missing-field', 'У обращения нет исполнителя', { field: 'assignee' });
      // The reply is a new detection: the answer and the draft count from it.
      const replied = { ...anchors, detected: now.getTime(), posted: now.getTime() };
      const b = book().meet('author-reply').open('answer', replied, incident.assignee).open('draft', replied, incident.assignee);
      return {
        to: 'draft',
        why: `Автор ответил на запрос уточнения${command.messageId ? ` (сообщение ${command.messageId})` : ''}`,
        set: {},
        book: b,
        notices: [{ to: { staff: incident.assignee }, kind: 'author-replied', text: `Автор обращения № ${incident.number} ответил на запрос уточнения` }],
      };
    },
  },
  'close-no-reply': {
    from: ['awaiting-author'], to: ['closed-no-reply'], roles: ['curator'],
    guard: 'Комментарий куратора с причиной', deadlines: 'Снимает все сроки', clause: '001 [17]',
    effect: ({ incident, command, book }) => {
      const comment = requireComment(command.comment, 'Закрытие без ответа автора');
      return {
        to: 'closed-no-reply',
        why: `Автор не ответил на запрос уточнения: ${comment}`,
        set: {},
        book: book().cancelAll(),
        ...(incident.assignee ? { notices: [{ to: { staff: incident.assignee }, kind: 'closed' as const, text: `Обращение № ${incident.number} закрыто куратором: автор не ответил на запрос уточнения. ${comment}` }] } : {}),
      };
    },
  },
  'resume-without-reply': {
    from: ['awaiting-author'], to: ['draft'], roles: ['curator'],
    guard: 'Комментарий куратора: что исполнителю ответить по имеющимся сведениям; у обращения есть исполнитель',
    deadlines: 'Закрывает ожидание ответа автора; срок ответа и проекта — заново от решения куратора', clause: '001 [17]',
    effect: ({ incident, command, now, anchors, book }) => {
      const comment = requireComment(command.comment, 'Продолжение без ответа автора');
      if (!incident.assignee) throw new WorkflowError('missing-field', 'У обращения нет исполнителя: направьте его исполнителю заново', { field: 'assignee' });
      // Like the author's reply: the answer and the draft count again, from the curator's decision.
      const resumed = { ...anchors, detected: now.getTime(), posted: now.getTime() };
      return {
        to: 'draft',
        why: `Автор не ответил на запрос уточнения; куратор решил продолжить: ${comment}`,
        set: {},
        book: book().meet('author-reply').open('answer', resumed, incident.assignee).open('draft', resumed, incident.assignee),
        notices: [{ to: { staff: incident.assignee }, kind: 'resumed', text: `Обращение № ${incident.number}: автор не ответил на запрос уточнения, подготовьте ответ по имеющимся сведениям. ${comment}` }],
      };
    },
  },
  'convert-to-appeal': {
    from: WORKING, to: ['converted'], roles: ['curator'],
    guard: 'Согласие автора получено (когда и как)', deadlines: 'Снимает все сроки: дальше — сроки 59-ФЗ в СЭД', clause: '004 [3.8]',
    effect: ({ command, ctx, now, book }) => {
      const how = command.consent.how?.trim();
      if (!present(how) || !(command.consent.at instanceof Date) || command.consent.at.getTime() > now.getTime()) {
        throw new WorkflowError('consent-missing', 'Оформить обращение по 59-ФЗ можно только с согласия автора: укажите, когда и как оно получено');
      }
      const registration = command.registration?.trim() || null;
      return {
        to: 'converted',
        why: `С согласия автора (${how}, ${dateRu(command.consent.at, ctx.profile.timeZone)}) оформлено обращение по 59-ФЗ${registration ? `, рег. № ${registration}` : ''}`,
        set: { appeal: { consentAt: command.consent.at, consentHow: how, registration } },
        book: book().cancelAll(),
      };
    },
  },
};

export const TRANSITIONS: readonly Transition[] = (Object.keys(TABLE) as CommandType[]).map((command) => {
  const { from, to, roles, guard, deadlines, clause } = TABLE[command];
  return { command, label: COMMAND_LABELS[command], from, to, roles, guard, deadlines, clause };
});

const BY_COMMAND = new Map<CommandType, Transition>(TRANSITIONS.map((t) => [t.command, t]));

export function transitionOf(command: CommandType): Transition {
  const t = BY_COMMAND.get(command);
  if (!t) throw new RangeError(`unknown command "${command}"`);
  return t;
}

/** The commands a given actor may try on an incident in `state`: the buttons of a staff card. */
export function availableCommands(state: IncidentState, role: ActorRole): CommandType[] {
  return TRANSITIONS.filter((t) => t.from.includes(state) && t.roles.includes(role)).map((t) => t.command);
}


/** The table as Markdown in Russian, for the staff bot's help and the docs. */
export function transitionTable(): string {
  const states = (list: readonly IncidentState[]): string => list.map((s) => STATE_INFO[s].label).join(', ');
  const rows = TRANSITIONS.map((t) =>
    `| ${t.label} | ${states(t.from)} | ${states(t.to)} | ${t.roles.map((r) => ROLE_LABELS[r]).join(', ')} | ${t.guard} | ${t.deadlines} | ${t.clause} |`,
  );
  return ['| Действие | Из состояния | В состояние | Кто | Условие | Сроки | Пункты |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

// ---------------------------------------------------------------------------------------
// Deadlines

const ROLE_NAMES: Readonly<Record<ActorRole, string>> = {
  system: 'система',
  curator: 'куратор',
  executor: 'исполнитель, которому передано обращение',
};

type Anchors = Partial<Record<Anchor, number>>;

class DeadlineBook {
  private list: DeadlineRecord[];
  constructor(
    existing: readonly DeadlineRecord[],
    private readonly ctx: WorkflowContext,
    private readonly importance: Importance,
  ) {
    this.list = existing.map((d) => ({ ...d, notified: [...d.notified] }));
  }

  private get nowMs(): number {
    return this.ctx.now.getTime();
  }

  isOpen(step: Step): boolean {
    return this.list.some((d) => d.step === step && d.metAt === null);
  }

  dueOf(step: Step): Date | null {
    return this.list.find((d) => d.step === step && d.metAt === null)?.dueAt ?? null;
  }

  /** The step's work is done now: a met or late record for the report. */
  meet(...steps: Step[]): this {
    this.list = this.list.map((d) => (d.metAt === null && steps.includes(d.step) ? { ...d, metAt: this.ctx.now, conditional: false } : d));
    return this;
  }

  /**
   * The step no longer applies. A term still running, or a conditional one, disappears; a
   * term already missed stays, closed now, so the monthly report keeps the violation.
   */
  cancel(...steps: Step[]): this {
    this.list = this.list.flatMap((d) => {
      if (d.metAt !== null || !steps.includes(d.step)) return [d];
      if (d.conditional || d.dueAt.getTime() >= this.nowMs) return [];
      return [{ ...d, metAt: this.ctx.now }];
    });
    return this;
  }

  cancelAll(): this {
    return this.cancel(...new Set(this.list.map((d) => d.step)));
  }

  /** (Re)open a step's term from the anchors, replacing an open one; a step the profile does not set is skipped. */
  open(step: Step, anchors: Anchors, responsible: string | null, conditional = false): this {
    const { profile, calendar } = this.ctx;
    const anchor = anchorOf(profile, step, this.importance);
    // 001 [10]: where the profile sets no triage term, the same-day hand-over counts from detection.
    const fromMs = anchor ? anchors[anchor] : step === 'triage' ? anchors.detected : undefined;
    if (fromMs === undefined) return this;
    let due: ReturnType<typeof stepDueDetail>;
    try {
      due = stepDueDetail(clockFor(profile, calendar), profile, step, this.importance, fromMs);
    } catch (error) {
      if (error instanceof StepNotSetError) return this;
      throw error;
    }
    const figure = profile.steps[step][this.importance];
    const clause = figure?.clause ?? profile.sameDayHandover?.clause;
    this.list = this.list.filter((d) => !(d.step === step && d.metAt === null));
    this.list.push({
      step, dueAt: new Date(due.dueMs), responsible, metAt: null, notified: [],
      ...(conditional ? { conditional: true } : {}),
      ...(clause ? { clause } : {}),
      ...(due.provisional ? { provisional: { ...due.provisional, from: new Date(fromMs) } } : {}),
      ...(step === 'author-reply' ? { awaitsAuthor: true } : {}),
    });
    return this;
  }

  /** A term at a fixed instant, not from the profile (the date an interim answer promised). */
  openAt(step: Step, due: Date, responsible: string | null, clause: string): this {
    this.list = this.list.filter((d) => !(d.step === step && d.metAt === null));
    this.list.push({ step, dueAt: due, responsible, metAt: null, notified: [], clause });
    return this;
  }

  /** The conditional step now applies (the executor chose to explain): an ordinary term from here on. */
  require(step: Step): this {
    this.list = this.list.map((d) => (d.step === step && d.metAt === null ? { ...d, conditional: false } : d));
    return this;
  }

  reassign(from: string | null, to: string | null): this {
    this.list = this.list.map((d) => (d.metAt === null && d.responsible === from ? { ...d, responsible: to } : d));
    return this;
  }

  result(): { deadlines: DeadlineRecord[]; nextDueAt: Date | null } {
    const open = this.list.filter((d) => d.metAt === null && !d.conditional).map((d) => d.dueAt.getTime());
    return { deadlines: this.list, nextDueAt: open.length > 0 ? new Date(Math.min(...open)) : null };
  }
}

export interface ProvisionalRevision {
  readonly deadlines: DeadlineRecord[];
  readonly nextDueAt: Date | null;
  /** The terms that moved, for a notice to whoever answers for them. */
  readonly moved: ReadonlyArray<{ readonly step: Step; readonly responsible: string | null; readonly from: Date; readonly to: Date }>;
}

/**
 * The open provisional terms recomputed on `calendar` from the instant each counts from:
 * what the watcher applies once an admin has imported the year (or on each pass while any
 * is left). A term whose year is now loaded loses its mark; one that moves forgets the
 * reminders already sent, which were about the old time. null: nothing changes.
 */
export function reviseProvisional(incident: Pick<WorkflowIncident, 'deadlines' | 'importance'>, profile: RegulationProfile, calendar: ProductionCalendar): ProvisionalRevision | null {
  const clock = clockFor(profile, calendar);
  const moved: Array<ProvisionalRevision['moved'][number]> = [];
  let changed = false;
  const deadlines = incident.deadlines.map((d): DeadlineRecord => {
    if (d.metAt !== null || !d.provisional) return d;
    const due = stepDueDetail(clock, profile, d.step, incident.importance, d.provisional.from.getTime());
    const sameYears = (due.provisional?.years ?? []).join() === d.provisional.years.join();
    const sameDue = due.dueMs === d.dueAt.getTime();
    if (sameDue && sameYears) return d;
    changed = true;
    if (!sameDue) moved.push({ step: d.step, responsible: d.responsible, from: d.dueAt, to: new Date(due.dueMs) });
    return {
      ...d,
      dueAt: new Date(due.dueMs),
      notified: sameDue ? [...d.notified] : [],
      provisional: due.provisional ? { ...due.provisional, from: d.provisional.from } : null,
    };
  });
  if (!changed) return null;
  const open = deadlines.filter((d) => d.metAt === null && !d.conditional).map((d) => d.dueAt.getTime());
  return { deadlines, nextDueAt: open.length > 0 ? new Date(Math.min(...open)) : null, moved };
}

function baseAnchors(incident: WorkflowIncident, now: Date): Anchors {
  const detected = incident.detectedAt.getTime();
  const n = now.getTime();
  return {
    detected,
    posted: incident.postedAt?.getTime() ?? detected,
    'handed-over': n,
    'draft-submitted': n,
    returned: n,
    approved: n,
    'interim-answer': n,
    'clarification-published': n,
  };
}

// ---------------------------------------------------------------------------------------
// Helpers

/** A department as staff know it: its name from the directory, else its code. */
const deptName = (code: string, ctx: WorkflowContext): string => ctx.departments?.find((d) => d.code === code)?.name ?? code;

const who = (actor: Actor): string => (actor.kind === 'system' ? `system:${actor.name}` : actor.code);
const present = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim().length > 0;

function requireComment(comment: string | null | undefined, what: string): string {
  if (!present(comment)) throw new WorkflowError('missing-comment', `${what}: нужен комментарий`);
  return comment.trim();
}

function lastDraft(incident: WorkflowIncident): DraftRecord | undefined {
  return incident.drafts[incident.drafts.length - 1];
}

function approvedDraft(incident: WorkflowIncident): DraftRecord {
  const d = lastDraft(incident);
  // A curator's edit is itself the last draft (approved); its original is marked edited.
  if (!d || d.reviewedAt === null || d.decision === 'returned' || d.decision === 'edited') {
    throw new WorkflowError('no-draft', 'Нет согласованного проекта ответа');
  }
  return d;
}

function dateRu(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** The deputy acting for an assignee who is absent now (000 [5], 001 [6]), or null. */
function standingIn(incident: WorkflowIncident, actor: Actor, ctx: WorkflowContext): { deputy: string; absent: StaffMember } | null {
  if (actor.kind !== 'staff' || incident.assignee === null || incident.assignee === actor.code) return null;
  const assignee = (ctx.staff ?? []).find((s) => s.code === incident.assignee);
  if (!assignee || assignee.deputy !== actor.code || absenceAt(assignee, ctx.now) === null) return null;
  return { deputy: actor.code, absent: assignee };
}

function checkActor(t: Transition, incident: WorkflowIncident, actor: Actor, ctx: WorkflowContext): void {
  const allowed = t.roles.some((role) =>
    role === 'system' ? actor.kind === 'system' : actor.kind === 'staff' && actor.roles.includes(role),
  );
  if (!allowed) {
    const names = t.roles.map((r) => ROLE_NAMES[r]);
    const verb = t.roles.length === 1 && t.roles[0] === 'system' ? 'выполняет только' : 'может только';
    throw new WorkflowError('role', `${t.label} ${verb} ${names.join(' или ')}`, { command: t.command, roles: t.roles });
  }
  // An executor acts only on the incidents handed to them, or as the deputy of an absent
  // assignee; a curator who is also an executor hands it to themselves first (reassign).
  if (t.roles.includes('executor') && actor.kind === 'staff' && incident.assignee !== actor.code && standingIn(incident, actor, ctx) === null) {
    throw new WorkflowError('not-assignee', `Обращение № ${incident.number} передано другому исполнителю`, { assignee: incident.assignee });
  }
}

function checkState(t: Transition, incident: WorkflowIncident, command: Command): void {
  if (command.expectedState !== undefined && command.expectedState !== incident.state) {
    throw new WorkflowError('stale', `Обращение уже ${STATE_INFO[incident.state].phrase}: карточка устарела`, {
      expected: command.expectedState, actual: incident.state,
    });
  }
  if (!t.from.includes(incident.state)) {
    throw new WorkflowError('invalid-transition', `${t.label} нельзя: обращение ${STATE_INFO[incident.state].phrase}`, {
      command: t.command, state: incident.state, allowedFrom: t.from,
    });
  }
}

// ---------------------------------------------------------------------------------------
// decide

interface Outcome {
  to: IncidentState;
  why: string;
  set: Omit<IncidentChanges, 'stateLabel' | 'deadlines' | 'nextDueAt'>;
  book: DeadlineBook;
  notices?: Notice[];
  findings?: Finding[];
}

export function decide(incident: WorkflowIncident, command: Command, actor: Actor, context: WorkflowContext): Decision {
  const t = transitionOf(command.type);
  checkActor(t, incident, actor, context);
  checkState(t, incident, command);
  // The deputy takes the incident over in the same change as their first action on it.
  const standIn = t.roles.includes('executor') ? standingIn(incident, actor, context) : null;
  const acting: WorkflowIncident = standIn
    ? { ...incident, assignee: standIn.deputy, deadlines: incident.deadlines.map((d) => (d.metAt === null && d.responsible === incident.assignee ? { ...d, responsible: standIn.deputy } : d)) }
    : incident;
  const env: Env<Command> = {
    incident: acting, command, ctx: context, now: context.now, actorCode: who(actor), anchors: baseAnchors(acting, context.now),
    book: (importance = acting.importance) => new DeadlineBook(acting.deadlines, context, importance),
  };
  // The row is the one for command.type, so its effect takes this command: the one cast TypeScript cannot follow.
  const outcome = (TABLE[command.type].effect as (env: Env<Command>) => Outcome)(env);
  const { deadlines, nextDueAt } = outcome.book.result();
  const absence = standIn ? absenceAt(standIn.absent, context.now) : null;
  const why = standIn && absence
    ? `${outcome.why} (заместитель на время отсутствия исполнителя ${standIn.absent.fullName}: ${ABSENCE_LABELS[absence.reason]})`
    : outcome.why;
  return {
    command: command.type,
    from: incident.state,
    to: outcome.to,
    who: who(actor),
    at: context.now,
    why,
    set: { ...(standIn && outcome.set.assignee === undefined ? { assignee: standIn.deputy } : {}), ...outcome.set, stateLabel: STATE_INFO[outcome.to].label, deadlines, nextDueAt },
    deadlines,
    notices: outcome.notices ?? [],
    ...(outcome.findings ? { findings: outcome.findings } : {}),
  };
}

/** The incident after a decision: what the store holds once changeState has applied it. */
export function applyDecision<T extends WorkflowIncident>(incident: T, decision: Decision): T & { stateLabel: string } {
  const { publication, publicInterest, ...set } = decision.set;
  return {
    ...incident,
    ...set,
    // The store writes publication's fields one by one (its attempts and checks stay).
    publication: { ...incident.publication, ...publication, ...(publicInterest !== undefined ? { publicInterest } : {}) },
    state: decision.to,
    history: [...incident.history, { who: decision.who, at: decision.at, from: decision.from, to: decision.to, why: decision.why }],
  };
}

/** approve and edit-and-approve: the draft on review is approved, as it is or as the curator rewrote it. */
function approveDraft({ incident, command, ctx, now, anchors, book, actorCode }: Env<CommandOf<'approve' | 'edit-and-approve'>>): Outcome {
  const current = lastDraft(incident);
  if (!current || current.reviewedAt !== null) throw new WorkflowError('no-draft', 'Нет проекта на согласовании');
  // 000 [8, 11], 001 [5, 9, 13], 003 [4, 9]: the executor drafts, the curator approves —
  // two people. A curator who is also an executor does not approve (or rewrite and
  // approve) what they drafted themselves; another curator does.
  if (current.author === actorCode) {
    throw new WorkflowError('self-approval', 'Свой проект ответа согласовать нельзя: подготовку и согласование выполняют разные люди — проект согласует другой куратор', {
      author: current.author, draftId: current.id,
    });
  }
  let drafts: DraftRecord[];
  let findings: Finding[] | undefined;
  let why = 'Проект согласован';
  if (command.type === 'edit-and-approve') {
    if (!present(command.text)) throw new WorkflowError('missing-field', 'Исправленный текст пуст', { field: 'text' });
    findings = checkDraft({ text: command.text, kind: current.kind, repeat: incident.repeatOf !== null ? { earlierAnswer: ctx.earlier?.answer ?? null } : null });
    const comment = command.comment?.trim() || null;
    drafts = [
      ...incident.drafts.slice(0, -1),
      { ...current, reviewedBy: actorCode, reviewedAt: now, reviewComment: comment ?? 'Отредактировано куратором', decision: 'edited' },
      // 001 [18]: the curator's edit is the text that is published; the original stays on record.
      {
        ...current, id: `${current.id}-edited`, text: command.text.trim(), author: actorCode, submittedAt: now,
        findings: findings.map(findingLine), reviewedBy: actorCode, reviewedAt: now, reviewComment: comment, decision: 'approved',
      },
    ];
    why = `Проект отредактирован и согласован куратором${comment ? `: ${comment}` : ''}`;
  } else {
    drafts = [...incident.drafts.slice(0, -1), { ...current, reviewedBy: actorCode, reviewedAt: now, decision: 'approved' }];
  }
  return {
    to: 'approved', why, set: { drafts }, book: book().meet('review').open('publish', anchors, null),
    ...(findings ? { findings } : {}),
  };
}

interface Chosen {
  code: string;
  why: string;
}

function noChannel(incident: WorkflowIncident, detail: string | null, b: DeadlineBook): Outcome {
  return {
    to: 'closed-no-channel',
    why: detail ? `${NO_CHANNEL_REASON}: ${detail}` : NO_CHANNEL_REASON,
    set: { publication: { outcome: 'no-channel', outcomeLabel: PUBLICATION_OUTCOMES['no-channel'] } },
    book: b.meet('publish', 'answer', 'final-after-interim', 'explanation').cancelAll(),
    notices: [{ to: { role: 'curator' }, kind: 'no-channel', text: `Обращение № ${incident.number}: «Готово» — ${NO_CHANNEL_REASON}` }],
  };
}

/** 001 [15]: the date an interim answer promises the final one by: a real instant still ahead. */
function promisedDate(value: unknown, ctx: WorkflowContext): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new WorkflowError('promised-date', 'Укажите дату окончательного ответа', { field: 'promisedBy' });
  }
  if (value.getTime() <= ctx.now.getTime()) {
    throw new WorkflowError('promised-date', `Дата окончательного ответа должна быть позже текущего момента (${dateRu(ctx.now, ctx.profile.timeZone)})`, { field: 'promisedBy' });
  }
  return value;
}

function routed(department: string, ctx: WorkflowContext, exclude: readonly string[]): Chosen {
  const outcome = route({ department, departments: ctx.departments ?? [], staff: ctx.staff ?? [], now: ctx.now, exclude, timeZone: ctx.profile.timeZone });
  switch (outcome.kind) {
    case 'assigned':
      return { code: outcome.assignee, why: outcome.why };
    case 'nobody':
      throw new WorkflowError('nobody-available', outcome.message, { department, tried: outcome.tried });
    case 'unknown-department':
      throw new WorkflowError('unknown-department', outcome.message, { departments: [department] });
  }
}

function chosenAssignee(code: string, ctx: WorkflowContext): Chosen {
  const member = (ctx.staff ?? []).find((s) => s.code === code);
  if (!member || !member.active || !member.roles.includes('executor')) {
    throw new WorkflowError('assignee-unavailable', `${member?.fullName ?? code} не является действующим исполнителем`, { assignee: code });
  }
  const absence = absenceAt(member, ctx.now);
  if (absence) {
    throw new WorkflowError('assignee-unavailable', `${member.fullName} отсутствует (${ABSENCE_LABELS[absence.reason]}) до ${dateRu(absence.to, ctx.profile.timeZone)}`, { assignee: code, absence });
  }
  return { code, why: `Исполнитель выбран куратором: ${member.fullName}` };
}

const KINDS_BY_STATE: Partial<Record<IncidentState, readonly DraftKind[]>> = {
  assigned: ['answer', 'interim', 'clarification', 'explanation'],
  draft: ['answer', 'interim', 'clarification', 'explanation'],
  rework: ['answer', 'interim', 'clarification', 'explanation'],
  // 000 [15]: after an interim answer only the final one remains.
  'awaiting-final': ['answer'],
  // The author has not replied: the executor answers with what is known, or explains; a second question waits for the first.
  'awaiting-author': ['answer', 'interim', 'explanation'],
};

function submitDraft(
  incident: WorkflowIncident,
  input: DraftInput,
  author: string,
  ctx: WorkflowContext,
  anchors: Anchors,
  b: DeadlineBook,
): Outcome {
  const allowed = KINDS_BY_STATE[incident.state] ?? [];
  if (!allowed.includes(input.kind)) {
    throw new WorkflowError('draft-kind', `Сейчас нельзя направить ${DRAFT_KIND_LABELS[input.kind]}: обращение ${STATE_INFO[incident.state].phrase}`, { kind: input.kind, allowed });
  }
  if (!present(input.id)) throw new WorkflowError('missing-field', 'У проекта нет идентификатора', { field: 'draft.id' });
  if (input.kind === 'explanation' && (input.ground === undefined || !(input.ground in EXPLANATION_GROUND_LABELS))) {
    throw new WorkflowError('explanation-ground', 'Укажите основание разъяснения: не в компетенции, требование в обход закона, обжалование судебного акта или вопрос, на который уже отвечали (004 [3.7])');
  }
  if (input.promisedBy !== undefined && input.promisedBy !== null) {
    if (input.kind !== 'interim') throw new WorkflowError('promised-date', 'Дату окончательного ответа указывают только в промежуточном ответе', { field: 'draft.promisedBy' });
    promisedDate(input.promisedBy, ctx);
  }
  if (incident.drafts.some((d) => d.id === input.id)) {
    throw new WorkflowError('draft-duplicate', 'Этот проект уже направлен на согласование', { draftId: input.id });
  }
  const repeat = incident.repeatOf !== null ? { earlierAnswer: ctx.earlier?.number === incident.repeatOf ? ctx.earlier.answer : null } : null;
  const findings = checkDraft({ text: input.text, kind: input.kind, repeat });
  const draft: DraftRecord = {
    id: input.id, kind: input.kind, text: input.text, attachments: [...(input.attachments ?? [])], author, submittedAt: ctx.now,
    findings: findings.map(findingLine), reviewedBy: null, reviewedAt: null, reviewComment: null, decision: null,
    ...(input.promisedBy ? { promisedBy: input.promisedBy } : {}),
    ...(input.kind === 'explanation' && input.ground ? { ground: input.ground } : {}),
  };
  // 001 [17]: submitting the clarification is the executor's notice to the curator.
  // Anything submitted while the author is asked ends the wait: the executor goes on without the reply.
  b.meet('draft', 'rework').cancel('return', 'author-reply');
  if (input.kind === 'clarification') b.meet('clarification-notice');
  else b.cancel('clarification-notice');
  // 004 [3.7]: an explanation is now what is due, within its own term.
  if (input.kind === 'explanation') b.require('explanation');
  else b.cancel('explanation');
  b.open('review', anchors, null);
  const advice = findings.length > 0 ? ` Замечания проверки: ${findings.map((f) => f.text).join(' ')}` : '';
  return {
    to: 'review',
    why: `Направлен на согласование: ${DRAFT_KIND_LABELS[input.kind]}${input.kind === 'explanation' && input.ground ? ` (${EXPLANATION_GROUND_LABELS[input.ground]})` : ''}${findings.length > 0 ? ` (замечаний: ${findings.length})` : ''}`,
    set: { drafts: [...incident.drafts, draft] },
    book: b,
    findings,
    notices: [{ to: { role: 'curator' }, kind: 'draft-submitted', text: `Обращение № ${incident.number}: на согласование поступил ${DRAFT_KIND_LABELS[input.kind]}.${advice}` }],
  };
}

function published(
  incident: WorkflowIncident,
  d: DraftRecord,
  channel: PublicationOutcome,
  ctx: WorkflowContext,
  anchors: Anchors,
  b: DeadlineBook,
): Outcome {
  const publication = { outcome: channel, outcomeLabel: PUBLICATION_OUTCOMES[channel] };
  // «разъяснение» is neuter, the other kinds are masculine.
  const ending = d.kind === 'explanation' ? 'о' : '';
  const how = channel === 'public' ? `опубликован${ending}` : `отправлен${ending} личным сообщением`;
  // 001 [16]: the curator is told at once that the answer is out.
  const notices: Notice[] = [{ to: { role: 'curator' }, kind: 'published', text: `Обращение № ${incident.number}: ${DRAFT_KIND_LABELS[d.kind]} ${how}` }];
  b.meet('publish');
  switch (d.kind) {
    case 'answer':
      b.meet('answer', 'final-after-interim').cancelAll();
      return { to: channel === 'public' ? 'published' : 'published-private', why: `Ответ ${how}`, set: { publication }, book: b, notices };
    case 'explanation':
      b.meet('explanation', 'answer').cancelAll();
      return { to: 'explained', why: `Разъяснение ${how}`, set: { publication }, book: b, notices };
    case 'interim': {
      // 000 [15]: an interim answer meets the answer term; the final one is due from it.
      b.meet('answer').cancel('return', 'clarification-notice', 'explanation');
      const hasTerm = ctx.profile.steps['final-after-interim'][incident.importance] !== null;
      if (hasTerm) b.open('final-after-interim', anchors, incident.assignee);
      else if (d.promisedBy) b.openAt('final-after-interim', d.promisedBy, incident.assignee, '001 [15]');
      else {
        notices.push({
          to: { role: 'curator' }, kind: 'final-term-unset',
          text: `Обращение № ${incident.number}: регламент не задаёт срок окончательного ответа, а в промежуточном ответе дата не указана — контролируйте срок вручную`,
        });
      }
      return { to: 'awaiting-final', why: `Промежуточный ответ ${how}: ожидается окончательный`, set: { publication }, book: b, notices };
    }
    case 'clarification':
      // The answer term is suspended while the author is asked; the wait has its own term,
      // the curator's to watch (see the readings at the top).
      b.cancel('answer', 'draft', 'return', 'explanation').open('author-reply', anchors, null);
      return { to: 'awaiting-author', why: `Запрос уточнения ${how}: ожидается ответ автора`, set: { publication }, book: b, notices };
  }
}
