import { UnknownTenantError } from '../store/errors.js';
import { slotMinute, type DueStatus, type FiledMinutes, type StaffNotice, type Store, type StoredIncident, type TenantRuntime } from '../store/port.js';
import type { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { reviseProvisional, type DeadlineRecord } from '../workflow/incident-machine.js';
import { STEP_LABELS } from '../workflow/labels.js';
import {
  crossedThresholds, DUE_SOON_WINDOW_MS, HEAD_AFTER_OVERDUE_MS, PUBLISHING_STATES, THRESHOLDS, type Threshold,
} from '../workflow/escalation.js';

/**
 * The deadline watcher's one tick, separate from its loop for tests. The due times
 * themselves are recomputed by the state machine on every change (workflow/incident-machine.ts)
 * and kept in `deadlines` and `nextDueAt`; the watcher reads the open incidents (the hot
 * set: closed ones are archived), marks each due-soon or overdue, escalates once per
 * threshold (`termMarks`, one key per threshold of a term) and records each missed term.
 *
 * Escalation, once per threshold of each open term:
 *   due-soon      (DUE_SOON_WINDOW_MS before the due time)  → the responsible person
 *   overdue       (the due time has passed)                  → the curator, and the person;
 *                                                              the violation is recorded (000 [17], 003 [12])
 *   overdue-head  (HEAD_AFTER_OVERDUE_MS after the due time) → the head (003 [12], [13])
 * A term the curators answer for (triage, review, publish: `responsible` null) goes to the
 * curator at the first threshold. Conditional terms (a return, a clarification, an
 * explanation) apply only if the step happens and are never due-soon or overdue.
 */

export { DUE_SOON_MS } from '../workflow/terms.js';

export { DUE_SOON_WINDOW_MS, HEAD_AFTER_OVERDUE_MS, THRESHOLDS, crossedThresholds, type Threshold };

/** The steps as staff and the monthly report name them. */
export { STEP_LABELS };

const DUE_STATUS_LABELS: Readonly<Record<DueStatus, string>> = { 'due-soon': 'Срок истекает', overdue: 'Срок нарушен' };

export interface WatchReport {
  readonly scanned: number;
  /** Thresholds this run was the first to mark. */
  readonly escalated: number;
  readonly notices: number;
  readonly violations: number;
  /** Publish items queued again for incidents waiting to be published without one. */
  readonly requeued: number;
  /** Archive moves a crash had interrupted, finished on this tick. */
  readonly repaired: number;
  /** Incidents whose provisional terms were recomputed (a calendar year was imported). */
  readonly revised: number;
  readonly errors: ReadonlyArray<{ readonly tenant: string; readonly number: number; readonly error: string }>;
  /** Whether this tick swept the open incidents (else it read the minutes due by key). */
  readonly swept: boolean;
}

/** What the incident is marked as: overdue if any open term is, else due-soon if any is within the window. */
export function dueStatusOf(deadlines: readonly DeadlineRecord[], nowMs: number): DueStatus | null {
  let status: DueStatus | null = null;
  for (const d of deadlines) {
    if (d.metAt !== null || d.conditional) continue;
    const crossed = crossedThresholds(d.dueAt, nowMs);
    if (crossed.includes('overdue')) return 'overdue';
    if (crossed.includes('due-soon')) status = 'due-soon';
  }
  return status;
}

function dateRu(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

function personOf(code: string | null, runtime: TenantRuntime): string {
  if (code === null) return 'куратор';
  const member = runtime.staff.find((s) => s.code === code);
  return member ? member.fullName : code;
}

type Recipient = StaffNotice['to'];

function escalation(threshold: Threshold, incident: StoredIncident, d: DeadlineRecord, runtime: TenantRuntime): { to: Recipient[]; text: string } {
  const step = STEP_LABELS[d.step] ?? d.step;
  const due = dateRu(d.dueAt, runtime.timeZone);
  const clause = d.clause ? ` (${d.clause})` : '';
  const who = personOf(d.responsible, runtime);
  const provisional = d.provisional ? ` (${d.provisional.note})` : '';
  if (d.awaitsAuthor) {
    // 001 [17]: the author's silence is nobody's violation; the curator decides what next.
    return {
      to: [{ role: 'curator' }],
      text: threshold === 'due-soon'
        ? `Обращение № ${incident.number}: автор пока не ответил на запрос уточнения; срок ожидания истекает ${due}${provisional}.`
        : `Обращение № ${incident.number}: автор не ответил на запрос уточнения до ${due}${provisional}. Закройте обращение («Готово») или продолжите работу без уточнения.`,
    };
  }
  switch (threshold) {
    case 'due-soon':
      return {
        to: [d.responsible ? { staff: d.responsible } : { role: 'curator' }],
        text: `Обращение № ${incident.number}: срок «${step}» истекает ${due}${clause}${provisional}.`,
      };
    case 'overdue':
      return {
        to: [{ role: 'curator' }, ...(d.responsible ? [{ staff: d.responsible }] : [])],
        text: `Обращение № ${incident.number}: нарушен срок «${step}» — истёк ${due}${clause}; ответственный: ${who}. Нарушение учтено для ежемесячного отчёта.`,
      };
    case 'overdue-head':
      return {
        to: [{ role: 'head' }],
        text: `Обращение № ${incident.number}: срок «${step}» истёк ${due}${clause} и более часа не исполнен; ответственный: ${who}.`,
      };
  }
}

function recipientKey(to: Recipient): string {
  return 'role' in to ? `role:${to.role}` : `staff:${to.staff}`;
}

function isAwaitingPublication(incident: StoredIncident): boolean {
  return PUBLISHING_STATES.has(incident.state) && !incident.publication.manualCheck && incident.drafts.length > 0;
}

export function termKey(incident: Pick<StoredIncident, 'tenant' | 'number'>, d: Pick<DeadlineRecord, 'step' | 'dueAt'>): string {
  return `${incident.tenant}:${incident.number}:${d.step}:${d.dueAt.getTime()}`;
}

function markKey(incident: StoredIncident, d: DeadlineRecord, threshold: Threshold): string {
  return `${termKey(incident, d)}:${threshold}`;
}

async function watchIncident(store: Store, runtime: TenantRuntime, incident: StoredIncident, marked: ReadonlySet<string>, now: Date): Promise<{ escalated: number; notices: number; violations: number }> {
  const nowMs = now.getTime();
  let escalated = 0;
  let notices = 0;
  let violations = 0;
  for (const d of incident.deadlines) {
    if (d.metAt !== null || d.conditional) continue;
    // A wait for the author reminds the curator twice and goes no further (no violation, no head).
    const crossed = crossedThresholds(d.dueAt, nowMs).filter((t) => !d.awaitsAuthor || t !== 'overdue-head');
    for (const threshold of crossed) {
      const key = markKey(incident, d, threshold);
      if (marked.has(key)) continue;
      if (threshold === 'overdue' && !d.awaitsAuthor) {
        const department = incident.departments[incident.departmentIndex ?? 0] ?? incident.departments[0] ?? null;
        if (await store.deadlines.recordViolation({
          tenant: incident.tenant, incidentNumber: incident.number, step: d.step, stepLabel: STEP_LABELS[d.step] ?? d.step,
          responsible: d.responsible, department, dueAt: d.dueAt, detectedAt: now, clause: d.clause ?? null,
        })) violations += 1;
      }
      // A reminder that the term is near is noise once it has passed (a watcher that was
      // down): the threshold is marked without a notice, the overdue one follows.
      const silent = threshold === 'due-soon' && crossed.includes('overdue');
      if (!silent) {
        // The notices first, each written once by its key, then the mark: a crash in
        // between leaves notices that the next run finds written, never a mark without them.
        const { to, text } = escalation(threshold, incident, d, runtime);
        for (const recipient of to) {
          const written = await store.notices.once(`deadline:${termKey(incident, d)}:${threshold}:${recipientKey(recipient)}`, {
            tenant: incident.tenant, incidentNumber: incident.number, to: recipient, kind: `deadline-${threshold}`, text, createdAt: now,
          });
          if (written) notices += 1;
        }
      }
      if (await store.deadlines.mark(key, now)) escalated += 1;
    }
  }
  const status = dueStatusOf(incident.deadlines, nowMs);
  if (status !== incident.dueStatus) await store.deadlines.setDueStatus(incident, status, status ? DUE_STATUS_LABELS[status] : null);
  return { escalated, notices, violations };
}

/**
 * What one watcher process keeps between ticks. Without it (tests, `otklik` commands) every
 * tick is a sweep.
 */
export interface WatchProgress {
  /** The last minute a tick read. */
  lastMinute: number | null;
  /** When the last sweep ran (the tick's clock). */
  lastSweepMs: number | null;
  /** The calendar years loaded at the last tick: an import sweeps at once to revise provisional terms. */
  calendarYears: string | null;
}

export function newWatchProgress(): WatchProgress {
  return { lastMinute: null, lastSweepMs: null, calendarYears: null };
}

/**
 * Every ten minutes a tick sweeps: it finishes what a crash left (an incident closed but not
 * archived) and looks at every open incident due by a filtered scan, which also finds one a
 * crash left unfiled between its write and its filing. The ticks between read by key only
 * (issue 15).
 */
export const SWEEP_MS = 10 * 60 * 1000;
/**
 * Minutes a tick reads again: a writer stamps the minute from its own clock, which may run
 * a little behind the watcher's (a batch stamped when it began).
 */
export const REREAD_MINUTES = 5;
/** A watcher that was away longer sweeps instead of reading every minute since. */
const MAX_KEYED_GAP_MINUTES = 24 * 60;

export async function watchDeadlines(store: Store, runtimes: TenantRuntimeCache, now: Date, progress?: WatchProgress): Promise<WatchReport> {
  const nowMs = now.getTime();
  const nowMinute = slotMinute(nowMs);
  const calendarYears = progress ? (await store.calendar.years()).map((y) => `${y.year}:${y.source}:${y.days.length}`).sort().join(',') : null;
  const sweep = !progress || progress.lastMinute === null || progress.lastSweepMs === null
    || nowMs - progress.lastSweepMs >= SWEEP_MS || nowMinute < progress.lastMinute
    || nowMinute - progress.lastMinute > MAX_KEYED_GAP_MINUTES || calendarYears !== progress.calendarYears;
  const horizonMs = nowMs + DUE_SOON_WINDOW_MS;
  let repaired = 0;
  let candidates: StoredIncident[];
  let read: FiledMinutes = { documents: [], incidents: [] };
  if (sweep) {
    // A crash between closing an incident and archiving it left it in the hot set: finished first.
    repaired = (await store.maintenance.repair()).archived;
    // Once per process, every open incident is filed: those written before the minutes were
    // kept, and any a crash left unfiled, are watched by key from here on.
    if (progress && progress.lastSweepMs === null) await store.deadlines.fileAllOpen(nowMs);
    candidates = await store.deadlines.watched(new Date(horizonMs));
  } else {
    read = await store.deadlines.filed(progress!.lastMinute! - REREAD_MINUTES, nowMinute);
    candidates = await store.deadlines.byIds(read.incidents);
  }
  const revised = await reviseProvisionalTerms(store, runtimes, candidates.filter((i) => i.deadlines.some((d) => d.metAt === null && d.provisional)), now);
  const watched = candidates.filter((i) => (i.nextDueAt !== null && i.nextDueAt.getTime() <= horizonMs) || i.dueStatus !== null || PUBLISHING_STATES.has(i.state));
  // Belt and braces after a crash: the approval queues its publish item before it is
  // written, so one is normally there; queuing again is a no-op when it is.
  const waiting = watched.filter(isAwaitingPublication);
  const requeued = await store.publication.enqueue(waiting.map((i) => ({ tenant: i.tenant, number: i.number, draftId: i.drafts.at(-1)!.id })), now);
  const keys = watched.flatMap((i) => i.deadlines.filter((d) => d.metAt === null && !d.conditional).flatMap((d) => crossedThresholds(d.dueAt, nowMs).map((t) => markKey(i, d, t))));
  const marked = await store.deadlines.marked(keys);
  let escalated = 0;
  let notices = 0;
  let violations = 0;
  const errors: Array<{ tenant: string; number: number; error: string }> = [];
  for (const incident of watched) {
    if (!incident.deadlines.some((d) => d.metAt === null && !d.conditional) && incident.dueStatus === null) continue;
    try {
      const runtime = await runtimes.get(incident.tenant, nowMs);
      const counts = await watchIncident(store, runtime, incident, marked, now);
      escalated += counts.escalated;
      notices += counts.notices;
      violations += counts.violations;
    } catch (error) {
      // An incident whose tenant was removed must not stop the others; any other error
      // (the store going away) ends the tick, and the loop waits for the store.
      if (!(error instanceof UnknownTenantError)) throw error;
      errors.push({ tenant: incident.tenant, number: incident.number, error: error.message });
    }
  }
  if (progress) {
    // Each incident looked at is filed under its next threshold before its minute is
    // emptied: a crash in between leaves it filed twice, never not at all.
    await store.deadlines.refile(candidates, nowMs);
    if (sweep) await store.deadlines.dropFiledUpTo(nowMinute - REREAD_MINUTES);
    else await store.deadlines.unfile(read);
    progress.lastMinute = nowMinute;
    if (sweep) progress.lastSweepMs = nowMs;
    progress.calendarYears = calendarYears;
  }
  return { scanned: watched.length, escalated, notices, violations, requeued, repaired, revised, errors, swept: sweep };
}

/**
 * Terms computed on a year whose production calendar was not loaded are recomputed on every
 * tick while any is left, so that once an admin imports the year each moves to its right
 * time (and loses its «предварительный» mark) without anyone touching the incident; the
 * person answering for a term that moved is told the new time.
 */
async function reviseProvisionalTerms(store: Store, runtimes: TenantRuntimeCache, incidents: readonly StoredIncident[], now: Date): Promise<number> {
  let revised = 0;
  for (const incident of incidents) {
    const runtime = await runtimes.get(incident.tenant, now.getTime()).catch((error: unknown) => {
      if (error instanceof UnknownTenantError) return null;
      throw error;
    });
    if (!runtime) continue;
    const revision = reviseProvisional(incident, runtime.profile, runtime.calendar);
    if (!revision || !(await store.deadlines.revise(incident, revision.deadlines, revision.nextDueAt, now))) continue;
    revised += 1;
    for (const moved of revision.moved) {
      await store.notices.once(`provisional-moved:${termKey(incident, { step: moved.step, dueAt: moved.from })}`, {
        tenant: incident.tenant, incidentNumber: incident.number, to: moved.responsible ? { staff: moved.responsible } : { role: 'curator' }, kind: 'deadline-moved', createdAt: now,
        text: `Обращение № ${incident.number}: загружен производственный календарь, срок «${STEP_LABELS[moved.step] ?? moved.step}» уточнён: ${dateRu(moved.to, runtime.timeZone)} (был ${dateRu(moved.from, runtime.timeZone)}).`,
      });
    }
  }
  return revised;
}
