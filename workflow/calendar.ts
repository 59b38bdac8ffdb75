// The production calendar: which dates are working, shortened or days off. A year after
// the first known one whose decree has not been imported is computed from the Labour Code
// alone (labour-code-calendar.ts) and called provisional: deadlines that reach into it are
// still computed, and marked, so that a calendar running out on 31 December stops nobody
// (issue 12). A year before the first known one is an error: nothing is dated that early,
// and guessing it would hide a wrong clock.
import { z } from 'zod';
import { RU_CALENDAR_2019_2026 } from './calendar-data/ru-2019-2026.js';
import { labourCodeYear } from './labour-code-calendar.js';

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
  private readonly provisional = new Map<number, { year: CalendarYear; days: Map<string, CalendarDay> }>();
  private readonly firstKnown: number | null;

  /** Later years in the list replace earlier ones of the same number (an imported year over a shipped one). */
  constructor(years: readonly CalendarYear[]) {
    for (const y of years) {
      for (const [date] of this.exceptions) if (date.startsWith(`${y.year}-`)) this.exceptions.delete(date);
      this.known.set(y.year, y);
      for (const d of y.days) this.exceptions.set(d.date, d);
    }
    this.firstKnown = this.known.size > 0 ? Math.min(...this.known.keys()) : null;
  }

  /** The years known from the acts (shipped or imported), not the provisional ones. */
  years(): number[] {
    return [...this.known.keys()].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.known.has(year);
  }

  /** A year computed from the Labour Code alone because its decree is not loaded. */
  isProvisional(year: number): boolean {
    return !this.known.has(year) && this.firstKnown !== null && year > this.firstKnown;
  }

  /** The provisional years among the local dates from `fromDate` to `toDate` (YYYY-MM-DD, either order). */
  provisionalYearsBetween(fromDate: string, toDate: string): number[] {
    const [a, b] = [Number(fromDate.slice(0, 4)), Number(toDate.slice(0, 4))].sort((x, y) => x - y) as [number, number];
    const out: number[] = [];
    for (let y = a; y <= b; y++) if (this.isProvisional(y)) out.push(y);
    return out;
  }

  yearData(year: number): CalendarYear {
    const y = this.known.get(year);
    if (!y) throw new CalendarYearMissingError(year);
    return y;
  }

  /** The year as the Labour Code alone fixes it (ст. 112, 95), for a year without its decree. */
  provisionalYear(year: number): CalendarYear {
    return this.provisionalOf(year).year;
  }

  private provisionalOf(year: number): { year: CalendarYear; days: Map<string, CalendarDay> } {
    if (!this.isProvisional(year)) throw new CalendarYearMissingError(year);
    let entry = this.provisional.get(year);
    if (!entry) {
      const computed = labourCodeYear(year);
      entry = { year: computed, days: new Map(computed.days.map((d) => [d.date, d])) };
      this.provisional.set(year, entry);
    }
    return entry;
  }

  /** A new calendar with these years added or replaced. */
  with(years: readonly CalendarYear[]): ProductionCalendar {
    return new ProductionCalendar([...this.known.values(), ...years]);
  }

  private exceptionOf(date: string): CalendarDay | undefined {
    const year = Number(date.slice(0, 4));
    if (this.known.has(year)) return this.exceptions.get(date);
    return this.provisionalOf(year).days.get(date);
  }

  kindOf(date: string): DayKind {
    const exception = this.exceptionOf(date);
    if (exception) return exception.kind;
    return weekdayOf(date) >= 6 ? 'dayoff' : 'working';
  }

  day(date: string): CalendarDay {
    const kind = this.kindOf(date);
    return this.exceptionOf(date) ?? { date, kind };
  }

  isWorking(date: string): boolean {
    return this.kindOf(date) !== 'dayoff';
  }

  /** Every date of the year with its kind, in order (a provisional year too; see isProvisional). */
  daysOf(year: number): Array<{ date: string; kind: DayKind }> {
    if (!this.known.has(year)) this.provisionalOf(year);
    const out: Array<{ date: string; kind: DayKind }> = [];
    for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = nextDate(d)) out.push({ date: d, kind: this.kindOf(d) });
    return out;
  }
}

/** The calendar shipped with the release: 2019–2026 from the government's and the President's acts. */
const SHIPPED_YEARS: CalendarYear[] = RU_CALENDAR_2019_2026;
export const SHIPPED_CALENDAR = new ProductionCalendar(SHIPPED_YEARS);
