import { nextDate } from '../workflow/calendar.js';
import type { WorkingClock } from '../workflow/terms.js';

/** No term of the regulations runs longer than a few weeks; a longer span is summed to here. */
const MAX_DAYS = 400;

/** Office time of the tenant between two instants (negative when `toMs` is earlier). */
export function workingMsBetween(clock: WorkingClock, fromMs: number, toMs: number): number {
  if (toMs < fromMs) return -workingMsBetween(clock, toMs, fromMs);
  let total = 0;
  let date = clock.localDate(fromMs);
  const last = clock.localDate(toMs);
  for (let day = 0; day < MAX_DAYS; day++) {
    for (const [open, close] of clock.officeIntervals(date)) {
      const a = Math.max(open, fromMs);
      const b = Math.min(close, toMs);
      if (b > a) total += b - a;
    }
    if (date === last) break;
    date = nextDate(date);
  }
  return total;
}

/** «3 ч 20 мин»: working time in hours and minutes (a working day is 8 of them, not 24). */
export function hoursMinutes(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} мин`;
  return m === 0 ? `${h} ч` : `${h} ч ${m} мин`;
}

export interface TimeLeft {
  readonly overdue: boolean;
  /** Working time left (or past due), in the tenant's office hours. */
  readonly workingMs: number;
  /** «осталось 3 ч 20 мин рабочего времени» / «просрочено на 40 мин рабочего времени». */
  readonly text: string;
}

export function timeLeft(clock: WorkingClock, nowMs: number, dueMs: number): TimeLeft {
  const workingMs = workingMsBetween(clock, nowMs, dueMs);
  if (dueMs <= nowMs) {
    return { overdue: true, workingMs, text: workingMs === 0 ? 'срок истёк (вне рабочего времени)' : `просрочено на ${hoursMinutes(workingMs)} рабочего времени` };
  }
  return { overdue: false, workingMs, text: workingMs === 0 ? 'срок истекает до начала рабочего времени' : `осталось ${hoursMinutes(workingMs)} рабочего времени` };
}
