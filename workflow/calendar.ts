// The production calendar: which dates are working, shortened or days off. A year the
// calendar does not know is an error wherever a deadline reaches into it — guessing
// "weekends only" would silently move a deadline across an unknown holiday.
import { z } from 'zod';
import { RU_CALENDAR_2019_2026 } from './calendar-data/ru-2019-2026.js';

export type DayKind = 'working' | 'shortened' | 'dayoff';

export interface CalendarDay {
  /** YYYY-MM-DD */
  date: string;
  kind: DayKind;
  /** The fact behind the exception, in Russian, as a curator reads it. */
  why?: string;
  /** A non-working day declared by presidential decree, with the kind it had before. */
  byDecree?: { wasKind: 'working' | 'shortened'; act: string };
}

/** One year: only the dates that differ from the ordinary week (Mon–Fri working, Sat–Sun off). */
export interface CalendarYear {
  year: number;
  source: string;
  days: CalendarDay[];
}

export class CalendarYearMissingError extends Error {
  override readonly name = 'CalendarYearMissingError';
  constructor(readonly year: number) {
    super(`the production calendar has no data for ${year}; import it with "otklik calendar import FILE"`);
  }
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const calendarYearSchema = z
  .object({
    year: z.number().int().min(1992).max(2200),
    source: z.string().min(1),
    days: z.array(
      z.object({
        date: isoDate,
        kind: z.enum(['working', 'shortened', 'dayoff']),
        why: z.string().optional(),
        byDecree: z.object({ wasKind: z.enum(['working', 'shortened']), act: z.string() }).optional(),
      }),
    ),
  })
  .superRefine((y, ctx) => {
    const seen = new Set<string>();
    y.days.forEach((d, i) => {
      if (!isRealDate(d.date)) ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `${d.date} is not a date` });
      else if (Number(d.date.slice(0, 4)) !== y.year)
        ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `${d.date} is not in ${y.year}` });
      if (seen.has(d.date)) ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `${d.date} listed twice` });
      seen.add(d.date);
    });
  });

export function isRealDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** ISO weekday of a calendar date, 1 = Monday … 7 = Sunday; no time zone involved. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The calendar date after `date`, by the proleptic Gregorian calendar. */
export function nextDate(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

export function previousDate(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

export class ProductionCalendar {
  private readonly exceptions = new Map<string, CalendarDay>();
  private readonly known = new Map<number, CalendarYear>();

  /** Later years in the list replace earlier ones of the same number (an imported year over a shipped one). */
  constructor(years: readonly CalendarYear[]) {
    for (const y of years) {
      for (const [date] of this.exceptions) if (date.startsWith(`${y.year}-`)) this.exceptions.delete(date);
      this.known.set(y.year, y);
      for (const d of y.days) this.exceptions.set(d.date, d);
    }
  }

  years(): number[] {
    return [...this.known.keys()].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.known.has(year);
  }

  yearData(year: number): CalendarYear {
    const y = this.known.get(year);
    if (!y) throw new CalendarYearMissingError(year);
    return y;
  }

  /** A new calendar with these years added or replaced. */
  with(years: readonly CalendarYear[]): ProductionCalendar {
    return new ProductionCalendar([...this.known.values(), ...years]);
  }

  kindOf(date: string): DayKind {
    const year = Number(date.slice(0, 4));
    if (!this.known.has(year)) throw new CalendarYearMissingError(year);
    const exception = this.exceptions.get(date);
    if (exception) return exception.kind;
    return weekdayOf(date) >= 6 ? 'dayoff' : 'working';
  }

  day(date: string): CalendarDay {
    const kind = this.kindOf(date);
    const exception = this.exceptions.get(date);
    return exception ?? { date, kind };
  }

  isWorking(date: string): boolean {
    return this.kindOf(date) !== 'dayoff';
  }

  /** Every date of the year with its kind, in order. */
  daysOf(year: number): Array<{ date: string; kind: DayKind }> {
    this.yearData(year);
    const out: Array<{ date: string; kind: DayKind }> = [];
    for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = nextDate(d)) out.push({ date: d, kind: this.kindOf(d) });
    return out;
  }
}

/** The calendar shipped with the release: 2019–2026 from the government's and the President's acts. */
const SHIPPED_YEARS: CalendarYear[] = RU_CALENDAR_2019_2026;
export const SHIPPED_CALENDAR = new ProductionCalendar(SHIPPED_YEARS);
