import type { DeadlineRecord } from './incident-machine.js';

/**
 * When the deadline watcher escalates a term, and when it must next look at an incident.
 * Pure: the watcher (workers/deadline-watch.ts) acts on these times, and the store files
 * each open incident under the minute it is next due to be looked at (store/watch-slots.ts),
 * so that a tick reads the incidents due now by key instead of scanning the open ones.
 */

// Twenty minutes leaves time to finish a step in the system (routing, approving and
// publishing take minutes; the draft term already ends hours before the answer's, 000 [10],
// 003 [9]) and is shorter than the shortest terms, 30 minutes (000 [9, 11, 13], 001 [11],
// 003 [9, 10]), so a reminder never arrives at the moment a term opens.
export const DUE_SOON_WINDOW_MS = 20 * 60 * 1000;
// An hour after the due time the curator has had the time the regulations give for a
// rework (000 [12], 002 [8], 003 [9]) to set it right; a term still missed then goes to the
// head, who answers for the work (003 [12]) and hears of significant failures at once (003 [13]).
export const HEAD_AFTER_OVERDUE_MS = 60 * 60 * 1000;

export const THRESHOLDS = ['due-soon', 'overdue', 'overdue-head'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/** The states in which an approved answer waits for the publisher. */
export const PUBLISHING_STATES: ReadonlySet<string> = new Set(['approved', 'publishing']);

/**
 * How soon an answer still waiting for the publisher is looked at again: the watcher queues
 * its publish item again if a crash lost it, well within the 30 minutes to publish (000 [13],
 * 001 [16]).
 */
export const PUBLISH_RECHECK_MS = 60 * 1000;

/** The thresholds a term has crossed at `nowMs`, in escalation order. */
export function crossedThresholds(dueAt: Date, nowMs: number): Threshold[] {
  const dueMs = dueAt.getTime();
  const crossed: Threshold[] = [];
  if (nowMs >= dueMs - DUE_SOON_WINDOW_MS) crossed.push('due-soon');
  if (nowMs > dueMs) crossed.push('overdue');
  if (nowMs > dueMs + HEAD_AFTER_OVERDUE_MS) crossed.push('overdue-head');
  return crossed;
}

/** The first instant after `nowMs` at which an open, unconditional term crosses a threshold; null if none will. */
export function nextThresholdAfter(deadlines: readonly DeadlineRecord[], nowMs: number): number | null {
  let next: number | null = null;
  for (const d of deadlines) {
    if (d.metAt !== null || d.conditional) continue;
    const dueMs = d.dueAt.getTime();
    // `overdue` is crossed strictly after the due time, the others at it.
    const times = [dueMs - DUE_SOON_WINDOW_MS, dueMs + 1, ...(d.awaitsAuthor ? [] : [dueMs + HEAD_AFTER_OVERDUE_MS + 1])];
    for (const t of times) if (t > nowMs && (next === null || t < next)) next = t;
  }
  return next;
}

/** What the watcher needs to know of an incident to say when to look at it. */
export interface WatchedShape {
  readonly state: string;
  readonly nextDueAt: Date | null;
  readonly dueStatus: string | null;
}

/**
 * When the watcher must first look at an incident as just written: at once when it carries
 * a due mark to re-judge or an answer waiting for the publisher, else when its next term
 * becomes due soon; null when nothing is due.
 */
export function firstWatchAt(incident: WatchedShape, nowMs: number): number | null {
  if (incident.dueStatus !== null || PUBLISHING_STATES.has(incident.state)) return nowMs;
  if (incident.nextDueAt === null) return null;
  return Math.max(nowMs, incident.nextDueAt.getTime() - DUE_SOON_WINDOW_MS);
}

/**
 * When the watcher looks at an incident again after a tick at `nowMs`: at its next
 * threshold, or sooner while an answer waits for the publisher.
 */
export function nextWatchAfter(incident: WatchedShape & { readonly deadlines: readonly DeadlineRecord[] }, nowMs: number): number | null {
  const threshold = nextThresholdAfter(incident.deadlines, nowMs);
  if (!PUBLISHING_STATES.has(incident.state)) return threshold;
  const recheck = nowMs + PUBLISH_RECHECK_MS;
  return threshold === null ? recheck : Math.min(threshold, recheck);
}
