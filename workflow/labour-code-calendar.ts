// A year of the production calendar as far as the Labour Code alone fixes it, for the years
// whose government decree has not been imported yet. The deadlines computed on such a year
// are marked provisional (calendar.ts, deadline-plan.ts), never refused: a year that runs
// out must not stop the work (issue 12, point 1).
//
// What the law fixes without any decree, and so what is computed here:
// - ТК РФ ст. 112 ч. 1: the non-working holidays 1–6 and 8 January (Новогодние каникулы),
//   7 January, 23 February, 8 March, 1 May, 9 May, 12 June, 4 November.
// - ст. 112 ч. 2: a Saturday or Sunday that is one of these holidays moves to the next
//   working day after the holiday — except the January holidays (ч. 1 абз. 2 и 3).
// - ст. 95 ч. 1: the working day immediately before a non-working holiday is one hour
//   shorter (a Friday before a Monday holiday is not "immediately before" it: a weekend
//   lies between; 2026-02-20 in the shipped data).
//
// What only a decree fixes, and so is left out: ст. 112 ч. 5 lets the Government move any
// weekend to another day (working Saturdays, bridges to a holiday), and it must move the
// two weekend days that fall on January holidays to days it chooses (31 December and a
// May or a November day in most years); it has also used ч. 5 to place a ч. 2 weekend
// elsewhere (2025: Sunday 23 February went to 8 May, not to Monday 24 February). Against
// the decrees of 2019–2026 the law alone gets every holiday right and differs on 2 to 8
// dates a year, each a decree's transfer (test/workflow/labour-code-calendar.test.ts):
// a provisional due time can be a working day early or late, never across a holiday.
import type { CalendarDay, CalendarYear } from './calendar.js';

/** ст. 112 ч. 1, month-day, with the name the shipped data uses. */
const HOLIDAYS: ReadonlyArray<readonly [string, string, boolean]> = [
  // [MM-DD, name, moves when on a weekend (ч. 2)]
  ['01-01', 'Новогодние каникулы', false],
  ['01-02', 'Новогодние каникулы', false],
  ['01-03', 'Новогодние каникулы', false],
  ['01-04', 'Новогодние каникулы', false],
  ['01-05', 'Новогодние каникулы', false],
  ['01-06', 'Новогодние каникулы', false],
  ['01-07', 'Рождество Христово', false],
  ['01-08', 'Новогодние каникулы', false],
  ['02-23', 'День защитника Отечества', true],
  ['03-08', 'Международный женский день', true],
  ['05-01', 'Праздник Весны и Труда', true],
  ['05-09', 'День Победы', true],
  ['06-12', 'День России', true],
  ['11-04', 'День народного единства', true],
];

export const LABOUR_CODE_SOURCE = 'ТК РФ ст. 112 ч. 1–2, ст. 95 (предварительно: переносы выходных по постановлению Правительства не известны)';

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function shift(date: string, days: number): string {
  const t = utc(date);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

const isWeekend = (date: string): boolean => {
  const d = utc(date).getUTCDay();
  return d === 0 || d === 6;
};

const dayMonth = (date: string): string => `${date.slice(8, 10)}.${date.slice(5, 7)}`;

/** The year computed from ст. 112 and ст. 95 alone; `source` says it is provisional. */
export function labourCodeYear(year: number): CalendarYear {
  const days = new Map<string, CalendarDay>();
  const holidays = new Set(HOLIDAYS.map(([md]) => `${year}-${md}`));
  for (const [md, name] of HOLIDAYS) days.set(`${year}-${md}`, { date: `${year}-${md}`, kind: 'dayoff', why: `${name} (ст. 112 ТК РФ)` });
  // ч. 2: in date order, so that two holidays on one weekend would take two weekdays.
  for (const [md, , moves] of HOLIDAYS) {
    const holiday = `${year}-${md}`;
    if (!moves || !isWeekend(holiday)) continue;
    let to = shift(holiday, 1);
    while (isWeekend(to) || holidays.has(to) || days.has(to)) to = shift(to, 1);
    // A holiday late in December would move into the next year; none of ч. 1 is that late.
    days.set(to, { date: to, kind: 'dayoff', why: `выходной перенесён с ${dayMonth(holiday)} (ст. 112 ч. 2 ТК РФ; предварительно)` });
  }
  // ст. 95: the holiday of 1 January makes 31 December of this year a pre-holiday day too.
  for (const holiday of [...holidays, `${year + 1}-01-01`]) {
    const before = shift(holiday, -1);
    if (!before.startsWith(`${year}-`) || isWeekend(before) || days.has(before)) continue;
    days.set(before, { date: before, kind: 'shortened', why: 'предпраздничный день, на час короче (ст. 95 ТК РФ)' });
  }
  return { year, source: LABOUR_CODE_SOURCE, days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}
