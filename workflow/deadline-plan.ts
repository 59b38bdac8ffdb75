// Every due time of one incident, from its timeline and its tenant's profile, and which
// of them are missed at a given instant. Pure: the caller passes `now`.
import { DateTime } from 'luxon';
import { nextDate, type ProductionCalendar } from './calendar.js';
import { toMinutes } from './office-hours.js';
import type { Anchor, Figure, Importance, RegulationProfile, Step } from './profiles.js';
import { addTerm, describeTerm, subtractTerm, WorkingClock } from './terms.js';
import { provisionalNote } from './calendar-coverage.js';

export class StepNotSetError extends Error {
  override readonly name = 'StepNotSetError';
  constructor(readonly profileId: string, readonly step: Step, readonly importance: Importance) {
    super(`step "${step}" has no term in profile "${profileId}" (importance ${importance})`);
  }
}

// A clock caches the office intervals of the dates it has seen; profiles and calendars are
// immutable values, so one clock per pair is reused (a watcher plans thousands of incidents).
const clocks = new WeakMap<RegulationProfile, WeakMap<ProductionCalendar, WorkingClock>>();

export function clockFor(profile: RegulationProfile, calendar: ProductionCalendar): WorkingClock {
  let byCalendar = clocks.get(profile);
  if (!byCalendar) {
    byCalendar = new WeakMap();
    clocks.set(profile, byCalendar);
  }
  let clock = byCalendar.get(calendar);
  if (!clock) {
    clock = new WorkingClock(calendar, profile.officeHours, profile.timeZone);
    byCalendar.set(calendar, clock);
  }
  return clock;
}

export function figureOf(profile: RegulationProfile, step: Step, importance: Importance): Figure | null {
  return profile.steps[step][importance];
}

/** The anchor a step's `from` instant means: for "N before the answer", the answer's anchor. */
export function anchorOf(profile: RegulationProfile, step: Step, importance: Importance): Anchor | null {
  const figure = figureOf(profile, step, importance);
  if (!figure) return null;
  if ('term' in figure) return figure.term ? figure.from : null;
  const answer = figureOf(profile, 'answer', importance);
  return answer && 'term' in answer ? answer.from : null;
}

/**
 * The close of office the same day, when a message arrives before the cutoff on the
 * working day before a day off and the profile hands such messages over that day (001 [10]).
 */
export function sameDayHandoverDue(clock: WorkingClock, profile: RegulationProfile, detectedMs: number): number | undefined {
  const rule = profile.sameDayHandover;
  if (!rule) return undefined;
  const date = clock.localDate(detectedMs);
  if (!clock.calendar.isWorking(date) || clock.calendar.isWorking(nextDate(date))) return undefined;
  const cutoffMs = clock.atMinute(date, toMinutes(rule.cutoff));
  const office = clock.officeIntervals(date);
  const close = office[office.length - 1]?.[1];
  if (detectedMs >= cutoffMs || close === undefined || close <= detectedMs) return undefined;
  return close;
}

/** A due time computed on a year whose decree is not loaded (calendar.ts isProvisional). */
export interface ProvisionalBasis {
  /** The provisional years the computation consulted. */
  readonly years: readonly number[];
  /** Russian: «срок предварительный: календарь на 2027 год не загружен». */
  readonly note: string;
}

export interface StepDue {
  readonly dueMs: number;
  /** null: every date the term consulted is in a loaded year (or the term runs on the plain clock). */
  readonly provisional: ProvisionalBasis | null;
}

const ZONE_SLACK_MS = 14 * 3600 * 1000;

/** Due time of one step counted from `fromMs` (the instant of the step's anchor event). */
export function stepDue(
  clock: WorkingClock,
  profile: RegulationProfile,
  step: Step,
  importance: Importance,
  fromMs: number,
): number {
  return stepDueDetail(clock, profile, step, importance, fromMs).dueMs;
}

/** stepDue, and whether it rests on a provisional year: the dates it consulted run from the earliest to the latest instant it touched. */
export function stepDueDetail(
  clock: WorkingClock,
  profile: RegulationProfile,
  step: Step,
  importance: Importance,
  fromMs: number,
): StepDue {
  const basis = (dueMs: number, spanFromMs: number, spanToMs: number, usesCalendar: boolean): StepDue => {
    if (!usesCalendar) return { dueMs, provisional: null };
    // Cheap first: no zone is more than 14 h from UTC, so the local years lie between these two.
    const roughFrom = new Date(spanFromMs - ZONE_SLACK_MS).getUTCFullYear();
    const roughTo = new Date(spanToMs + ZONE_SLACK_MS).getUTCFullYear();
    if (clock.calendar.provisionalYearsBetween(`${roughFrom}-01-01`, `${roughTo}-01-01`).length === 0) return { dueMs, provisional: null };
    const years = clock.calendar.provisionalYearsBetween(clock.localDate(spanFromMs), clock.localDate(spanToMs));
    return { dueMs, provisional: years.length > 0 ? { years, note: provisionalNote(years) } : null };
  };
  const figure = figureOf(profile, step, importance);
  if (!figure && step === 'triage') {
    const sameDay = sameDayHandoverDue(clock, profile, fromMs);
    // The rule looks at the next date too: whether it is a day off.
    if (sameDay !== undefined) return basis(sameDay, fromMs, clock.startOfDate(nextDate(clock.localDate(fromMs))), true);
  }
  if (!figure) throw new StepNotSetError(profile.id, step, importance);
  if ('term' in figure) {
    const dueMs = addTerm(clock, fromMs, figure.term);
    return basis(dueMs, Math.min(fromMs, dueMs), Math.max(fromMs, dueMs), figure.term.kind !== 'clock');
  }
  const answer = figureOf(profile, figure.of, importance);
  if (!answer) throw new StepNotSetError(profile.id, figure.of, importance);
  if (!('term' in answer)) throw new StepNotSetError(profile.id, figure.of, importance);
  const answerDue = addTerm(clock, fromMs, answer.term);
  // Never before the clock could start running: a draft is not due before the answer's term began.
  const dueMs = Math.max(subtractTerm(clock, answerDue, figure.before), Math.min(fromMs, answerDue));
  return basis(dueMs, Math.min(fromMs, dueMs), Math.max(fromMs, answerDue), answer.term.kind !== 'clock' || figure.before.kind !== 'clock');
}

export type Instant = string | Date | number;

export interface DraftRound {
  submittedAt: Instant;
  returnedAt?: Instant;
  approvedAt?: Instant;
}

export interface Timeline {
  importance: Importance;
  /** When the author posted the message (004 counts from posting); defaults to detectedAt. */
  postedAt?: Instant;
  detectedAt: Instant;
  handedOverAt?: Instant;
  drafts?: DraftRound[];
  interimAnswerAt?: Instant;
  publishedAt?: Instant;
  returnedNotOursAt?: Instant;
  clarificationNoticeAt?: Instant;
  explanationSentAt?: Instant;
}

export type DeadlineState = 'met' | 'late' | 'open' | 'overdue';

export interface PlannedDeadline {
  step: Step;
  /** Review and rework repeat per draft; 1-based. */
  round?: number;
  from: string;
  due: string;
  dueMs: number;
  doneAt?: string;
  state: DeadlineState;
  missed: boolean;
  /** The term in Russian, as the curator reads it: "8 ч рабочего времени". */
  rule: string;
  clause: string;
  reading?: string;
  /** Applies only if the event happens (a return, a clarification, an explanation): open until then, never overdue. */
  conditional?: boolean;
  /** Computed on a year whose calendar is not loaded (ТК РФ ст. 112 alone). */
  provisional?: ProvisionalBasis;
}

export function toMs(instant: Instant, field = 'instant'): number {
  if (typeof instant === 'number') return instant;
  if (instant instanceof Date) return instant.getTime();
  const dt = DateTime.fromISO(instant, { setZone: true });
  if (!dt.isValid || !/(Z|[+-]\d{2}:?\d{2})$/.test(instant))
    throw new RangeError(`${field}: "${instant}" is not an ISO 8601 instant with an offset`);
  return dt.toMillis();
}

export function describeFigure(figure: Figure): string {
  if ('term' in figure) return describeTerm(figure.term);
  return figure.before.minutes === 0 ? 'не позднее срока ответа' : `за ${describeTerm(figure.before)} до срока ответа`;
}

const CONDITIONAL: ReadonlySet<Step> = new Set<Step>(['return', 'clarification-notice', 'explanation']);

export function planDeadlines(
  timeline: Timeline,
  profile: RegulationProfile,
  calendar: ProductionCalendar,
  now: Instant,
): PlannedDeadline[] {
  const clock = clockFor(profile, calendar);
  const nowMs = toMs(now, 'now');
  const imp = timeline.importance;
  const ms = (i: Instant | undefined, field: string): number | undefined => (i === undefined ? undefined : toMs(i, field));
  const detected = toMs(timeline.detectedAt, 'detectedAt');
  const anchors: Partial<Record<Anchor, number>> = {
    detected,
    posted: ms(timeline.postedAt, 'postedAt') ?? detected,
    'handed-over': ms(timeline.handedOverAt, 'handedOverAt'),
    'interim-answer': ms(timeline.interimAnswerAt, 'interimAnswerAt'),
  };
  const published = ms(timeline.publishedAt, 'publishedAt');
  const interim = anchors['interim-answer'];
  const drafts = (timeline.drafts ?? []).map((d, i) => ({
    submitted: toMs(d.submittedAt, `drafts.${i}.submittedAt`),
    returned: ms(d.returnedAt, `drafts.${i}.returnedAt`),
    approved: ms(d.approvedAt, `drafts.${i}.approvedAt`),
  }));
  const out: PlannedDeadline[] = [];

  const add = (step: Step, fromMs: number | undefined, doneMs: number | undefined, round?: number, anchorOverride?: number): void => {
    const preset = figureOf(profile, step, imp);
    let figure: { clause: string; reading?: string } | null = preset;
    let rule = preset ? describeFigure(preset) : '';
    if (!figure && step === 'triage' && profile.sameDayHandover && sameDayHandoverDue(clock, profile, detected) !== undefined) {
      figure = profile.sameDayHandover;
      rule = 'в тот же день, до конца рабочего времени';
    }
    if (!figure) return;
    const from = anchorOverride ?? fromMs;
    if (from === undefined) return;
    const { dueMs, provisional } = stepDueDetail(clock, profile, step, imp, from);
    const conditional = CONDITIONAL.has(step);
    const state: DeadlineState =
      doneMs !== undefined ? (doneMs <= dueMs ? 'met' : 'late') : nowMs > dueMs && !conditional ? 'overdue' : 'open';
    out.push({
      step,
      ...(round !== undefined ? { round } : {}),
      from: clock.format(from),
      due: clock.format(dueMs),
      dueMs,
      ...(doneMs !== undefined ? { doneAt: clock.format(doneMs) } : {}),
      state,
      missed: state === 'late' || state === 'overdue',
      rule,
      clause: figure.clause,
      ...(figure.reading ? { reading: figure.reading } : {}),
      ...(conditional ? { conditional } : {}),
      ...(provisional ? { provisional } : {}),
    });
  };
  const anchorFor = (step: Step): number | undefined => {
    const a = anchorOf(profile, step, imp);
    return a ? anchors[a] : undefined;
  };

  add('triage', anchorFor('triage') ?? (profile.sameDayHandover ? detected : undefined), anchors['handed-over']);
  // An interim answer meets the answer term; the final one then has its own (000 [15], 002 [9]).
  const firstAnswer = [interim, published].filter((x): x is number => x !== undefined).sort((a, b) => a - b)[0];
  add('answer', anchorFor('answer'), firstAnswer);
  const draftAnchor = anchorOf(profile, 'draft', imp);
  // A "before the answer" draft needs the answer's anchor; one from hand-over needs the hand-over.
  add('draft', draftAnchor ? anchors[draftAnchor] : undefined, drafts[0]?.submitted);
  drafts.forEach((d, i) => {
    const decided = [d.returned, d.approved].filter((x): x is number => x !== undefined).sort((a, b) => a - b)[0];
    add('review', d.submitted, decided, i + 1);
    if (d.returned !== undefined) add('rework', d.returned, drafts[i + 1]?.submitted, i + 1);
  });
  const approved = drafts.find((d) => d.approved !== undefined)?.approved;
  if (approved !== undefined) add('publish', approved, published !== undefined && published >= approved ? published : undefined);
  if (interim !== undefined)
    add('final-after-interim', interim, published !== undefined && published > interim ? published : undefined);
  const handedOver = anchors['handed-over'];
  if (handedOver !== undefined) {
    add('return', handedOver, ms(timeline.returnedNotOursAt, 'returnedNotOursAt'));
    add('clarification-notice', handedOver, ms(timeline.clarificationNoticeAt, 'clarificationNoticeAt'));
  }
  add('explanation', anchorFor('explanation'), ms(timeline.explanationSentAt, 'explanationSentAt'));
  return out.sort((a, b) => a.dueMs - b.dueMs);
}
