// The kinds of term the regulations use, and how each is added to an instant.
//
// Boundaries (the same for every kind that runs on a clock that can be paused):
// - A start while the clock is paused (outside office hours, on a day off) counts from
//   the moment the clock next runs: the next opening, or 00:00 of the next working day.
// - A term that ends exactly at the end of a running interval ends then (17:00 on a
//   Friday), not at the next opening (09:00 on Monday): the regulations set a limit
//   "не позднее N часов" (000 [6], 001 [8], 002 [6]), and that limit is reached as the
//   N-th hour is spent, whatever follows it.
// - A term of 0 ends at its start.
//
// Kinds:
// - working-hours: office hours of working days only ("рабочие часы": 000 [6, 9, 14],
//   001 [8, 9], 002 [6], 004 [3.1, 3.7]).
// - working-day-hours: clock hours that run only on working days; weekends and
//   non-working holidays pause the clock (001 [8] "выходные и (или) нерабочие праздничные
//   дни прерывают течение срока", 004 [3.2] "не учитываются выходные и праздничные дни").
//   A shortened day is a working day and counts all 24 hours.
// - working-days: the legal convention (ГК РФ ст. 191, 193): counting starts the day
//   after the event, and the term ends when office hours end on the last working day
//   (000 [15], 002 [9] "семи рабочих дней со дня направления промежуточного ответа").
// - clock: plain clock minutes, nothing pauses them (003 [7] "24 часов").
// - before: N units before another step's deadline (000 [10], 002 [7], 003 [9]); it is
//   the latest instant from which N units of that kind remain until the deadline.
import { DateTime } from 'luxon';
import { nextDate, previousDate, type ProductionCalendar } from './calendar.js';
import { officeMinutesOn, type OfficeHours } from './office-hours.js';

export type Term =
  | { kind: 'working-hours'; minutes: number }
  | { kind: 'working-day-hours'; minutes: number }
  | { kind: 'working-days'; days: number }
  | { kind: 'clock'; minutes: number };

export type CountdownTerm = Exclude<Term, { kind: 'working-days' }>;

export const MINUTE_MS = 60_000;
/** No real schedule leaves a running clock paused this long; beyond it the setup is wrong. */
const MAX_SCAN_DAYS = 3 * 366;

export class NoWorkingTimeError extends Error {
  override readonly name = 'NoWorkingTimeError';
  constructor(fromDate: string) {
    super(`no working time within ${MAX_SCAN_DAYS} days from ${fromDate}: check the office hours`);
  }
}

/** Working time of one administration: its calendar, office hours and IANA time zone. */
export class WorkingClock {
  private readonly officeCache = new Map<string, Array<[number, number]>>();
  private readonly dayCache = new Map<string, Array<[number, number]>>();
  private readonly startCache = new Map<string, number>();

  constructor(
    readonly calendar: ProductionCalendar,
    readonly officeHours: OfficeHours,
    readonly timeZone: string,
  ) {
    if (!DateTime.local().setZone(timeZone).isValid) throw new RangeError(`unknown IANA time zone "${timeZone}"`);
  }

  /** Local calendar date of an instant in this clock's zone. */
  localDate(ms: number): string {
    return DateTime.fromMillis(ms, { zone: this.timeZone }).toISODate() ?? '';
  }

  /** Start of a local date as epoch ms (local midnight; luxon resolves the offset of that date). */
  startOfDate(date: string): number {
    let ms = this.startCache.get(date);
    if (ms === undefined) {
      ms = DateTime.fromISO(date, { zone: this.timeZone }).toMillis();
      this.startCache.set(date, ms);
    }
    return ms;
  }

  /** A local wall-clock minute of a date as epoch ms; luxon resolves the zone's offset on that date. */
  atMinute(date: string, minute: number): number {
    if (minute === 24 * 60) return this.startOfDate(nextDate(date));
    return DateTime.fromISO(date, { zone: this.timeZone }).set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
  }

  /** Office intervals of a date as [startMs, endMs). */
  officeIntervals(date: string): Array<[number, number]> {
    let out = this.officeCache.get(date);
    if (!out) {
      out = officeMinutesOn(this.officeHours, date, this.calendar.kindOf(date)).map(
        ([a, b]): [number, number] => [this.atMinute(date, a), this.atMinute(date, b)],
      );
      this.officeCache.set(date, out);
    }
    return out;
  }

  /** The whole local day as one interval if it is a working (or shortened) day. */
  workingDayInterval(date: string): Array<[number, number]> {
    let out = this.dayCache.get(date);
    if (!out) {
      out = this.calendar.isWorking(date) ? [[this.startOfDate(date), this.startOfDate(nextDate(date))]] : [];
      this.dayCache.set(date, out);
    }
    return out;
  }

  private forward(startMs: number, minutes: number, intervals: (date: string) => Array<[number, number]>): number {
    if (minutes === 0) return startMs;
    let remaining = minutes * MINUTE_MS;
    let date = this.localDate(startMs);
    const firstDate = date;
    for (let scanned = 0; scanned < MAX_SCAN_DAYS; scanned++, date = nextDate(date)) {
      for (const [open, close] of intervals(date)) {
        if (close <= startMs) continue;
        const from = Math.max(open, startMs);
        const available = close - from;
        if (remaining <= available) return from + remaining;
        remaining -= available;
      }
    }
    throw new NoWorkingTimeError(firstDate);
  }

  private backward(endMs: number, minutes: number, intervals: (date: string) => Array<[number, number]>): number {
    if (minutes === 0) return endMs;
    let remaining = minutes * MINUTE_MS;
    let date = this.localDate(endMs);
    const firstDate = date;
    for (let scanned = 0; scanned < MAX_SCAN_DAYS; scanned++, date = previousDate(date)) {
      const list = intervals(date);
      for (let i = list.length - 1; i >= 0; i--) {
        const pair = list[i];
        if (!pair) continue;
        const [open, close] = pair;
        if (open >= endMs) continue;
        const to = Math.min(close, endMs);
        const available = to - open;
        if (remaining <= available) return to - remaining;
        remaining -= available;
      }
    }
    throw new NoWorkingTimeError(firstDate);
  }

  addWorkingMinutes(startMs: number, minutes: number): number {
    return this.forward(startMs, minutes, (d) => this.officeIntervals(d));
  }

  subtractWorkingMinutes(endMs: number, minutes: number): number {
    return this.backward(endMs, minutes, (d) => this.officeIntervals(d));
  }

  addWorkingDayMinutes(startMs: number, minutes: number): number {
    return this.forward(startMs, minutes, (d) => this.workingDayInterval(d));
  }

  subtractWorkingDayMinutes(endMs: number, minutes: number): number {
    return this.backward(endMs, minutes, (d) => this.workingDayInterval(d));
  }

  /** End of office hours on the `days`-th working day after the local date of `startMs`. */
  addWorkingDays(startMs: number, days: number): number {
    let date = this.localDate(startMs);
    if (days === 0) return startMs;
    let counted = 0;
    for (let scanned = 0; scanned < MAX_SCAN_DAYS; scanned++) {
      date = nextDate(date);
      if (!this.calendar.isWorking(date)) continue;
      counted++;
      if (counted === days) {
        const office = this.officeIntervals(date);
        const last = office[office.length - 1];
        // A working day without office hours in the schedule still ends: at midnight.
        return last ? last[1] : this.startOfDate(nextDate(date));
      }
    }
    throw new NoWorkingTimeError(this.localDate(startMs));
  }

  /** Is the office open at this instant? */
  isOpen(ms: number): boolean {
    return this.officeIntervals(this.localDate(ms)).some(([a, b]) => a <= ms && ms < b);
  }

  /** The instant in ISO 8601 with this clock's offset, to the second. */
  format(ms: number): string {
    return DateTime.fromMillis(ms, { zone: this.timeZone }).toISO({ suppressMilliseconds: true }) ?? '';
  }
}

export function addTerm(clock: WorkingClock, startMs: number, term: Term): number {
  switch (term.kind) {
    case 'working-hours':
      return clock.addWorkingMinutes(startMs, term.minutes);
    case 'working-day-hours':
      return clock.addWorkingDayMinutes(startMs, term.minutes);
    case 'working-days':
      return clock.addWorkingDays(startMs, term.days);
    case 'clock':
      return startMs + term.minutes * MINUTE_MS;
  }
}

/** The latest instant from which `term` still remains until `deadlineMs`. */
export function subtractTerm(clock: WorkingClock, deadlineMs: number, term: CountdownTerm): number {
  switch (term.kind) {
    case 'working-hours':
      return clock.subtractWorkingMinutes(deadlineMs, term.minutes);
    case 'working-day-hours':
      return clock.subtractWorkingDayMinutes(deadlineMs, term.minutes);
    case 'clock':
      return deadlineMs - term.minutes * MINUTE_MS;
  }
}

/** "8 рабочих часов", "24 ч по рабочим дням", "7 рабочих дней", "30 мин" — for a curator's screen. */
export function describeTerm(term: Term): string {
  if (term.kind === 'working-days') return `${term.days} раб. дн.`;
  const h = Math.floor(term.minutes / 60);
  const m = term.minutes % 60;
  const amount = [h ? `${h} ч` : '', m ? `${m} мин` : ''].filter(Boolean).join(' ') || '0 мин';
  if (term.kind === 'working-hours') return `${amount} рабочего времени`;
  if (term.kind === 'working-day-hours') return `${amount} по рабочим дням`;
  return amount;
}

/**
 * "Due soon" for /due, `otklik due` and the workplace: the shortest ordinary answer term of
 * the presets is 4 working hours (high importance, 000 [9], 001 [8]); a term closer than that
 * is at risk.
 */
export const DUE_SOON_MS = 4 * 3600 * 1000;
