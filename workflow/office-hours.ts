// Office hours of one administration: the weekly schedule with breaks, how a shortened
// (pre-holiday) day is cut, and which schedule a working weekend day follows. Pure data
// and arithmetic on minutes of the local day; time zones are applied in working-time.ts.
import { z } from 'zod';
import { weekdayOf, type DayKind } from './calendar.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock interval, "HH:mm"–"HH:mm"; "24:00" is the end of the day. */
export interface OfficeInterval {
  from: string;
  to: string;
}

export interface OfficeHours {
  week: Record<Weekday, OfficeInterval[]>;
  /**
   * A shortened (pre-holiday) day: either the ordinary schedule ending earlier
   * (ТК РФ ст. 95: one hour), or its own schedule (001 [10]: 09:00–15:45).
   */
  shortened: { endEarlierMinutes: number } | { intervals: OfficeInterval[] };
  /**
   * A Saturday or Sunday the calendar makes working (e.g. 2024-12-28) works in place of a
   * weekday, so it follows a weekday schedule; this names it. Default: Monday's.
   */
  weekendWorkdayAs?: Weekday;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const intervalSchema = z
  .object({ from: z.string().regex(HHMM, 'expected HH:mm'), to: z.string().regex(HHMM, 'expected HH:mm') })
  .refine((i) => toMinutes(i.from) < toMinutes(i.to), { message: 'from must be before to', path: ['to'] });
const dayScheduleSchema = z.array(intervalSchema).superRefine((list, ctx) => {
  for (let i = 1; i < list.length; i++) {
    const prev = list[i - 1];
    const cur = list[i];
    if (prev && cur && toMinutes(cur.from) < toMinutes(prev.to))
      ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'intervals must be in order and not overlap' });
  }
});

export const officeHoursSchema = z.object({
  week: z.object({
    mon: dayScheduleSchema, tue: dayScheduleSchema, wed: dayScheduleSchema, thu: dayScheduleSchema,
    fri: dayScheduleSchema, sat: dayScheduleSchema, sun: dayScheduleSchema,
  }),
  shortened: z.union([
    z.object({ endEarlierMinutes: z.number().int().min(0).max(24 * 60) }).strict(),
    z.object({ intervals: dayScheduleSchema }).strict(),
  ]),
  weekendWorkdayAs: z.enum(WEEKDAYS).optional(),
});

const nineToSix: OfficeInterval[] = [
  { from: '09:00', to: '13:00' },
  { from: '14:00', to: '18:00' },
];

/** Where a regulation states none (issue 4): Mon–Fri 09:00–18:00, break 13:00–14:00, pre-holiday day one hour shorter (ТК РФ ст. 95). */
export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  week: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] },
  shortened: { endEarlierMinutes: 60 },
};

export function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** [fromMinute, toMinute) pairs of office time on a date of the given kind; empty on a day off. */
export function officeMinutesOn(hours: OfficeHours, date: string, kind: DayKind): Array<[number, number]> {
  if (kind === 'dayoff') return [];
  const weekday = WEEKDAYS[weekdayOf(date) - 1] ?? 'mon';
  const scheduleDay: Weekday = weekday === 'sat' || weekday === 'sun' ? (hours.weekendWorkdayAs ?? 'mon') : weekday;
  const ordinary = hours.week[scheduleDay].map((i): [number, number] => [toMinutes(i.from), toMinutes(i.to)]);
  if (kind === 'working') return ordinary;
  if ('intervals' in hours.shortened) return hours.shortened.intervals.map((i): [number, number] => [toMinutes(i.from), toMinutes(i.to)]);
  let cut = hours.shortened.endEarlierMinutes;
  const out = ordinary.map((p): [number, number] => [p[0], p[1]]);
  for (let i = out.length - 1; i >= 0 && cut > 0; i--) {
    const p = out[i];
    if (!p) continue;
    const length = p[1] - p[0];
    if (length <= cut) {
      cut -= length;
      out.splice(i, 1);
    } else {
      p[1] -= cut;
      cut = 0;
    }
  }
  return out;
}
