import { describe, expect, it } from '@jest/globals';
import {
  CalendarYearMissingError,
  ProductionCalendar,
  SHIPPED_CALENDAR,
  calendarYearSchema,
  nextDate,
  weekdayOf,
  type CalendarYear,
  type DayKind,
} from '../../workflow/calendar.js';
import { RU_CALENDAR_2019_2026 } from '../../workflow/calendar-data/ru-2019-2026.js';

// The calendar the government set before any presidential decree: the Ministry of Labour's
// yearly norms are computed from it.
const governmentOnly = new ProductionCalendar(
  RU_CALENDAR_2019_2026.map((y) => ({
    ...y,
    days: y.days.map((d) => (d.byDecree ? { date: d.date, kind: d.byDecree.wasKind } : d)),
  })),
);

function norms(calendar: ProductionCalendar, year: number): { days: number; hours40: number } {
  let days = 0;
  let hours40 = 0;
  for (const d of calendar.daysOf(year)) {
    if (d.kind === 'dayoff') continue;
    days++;
    hours40 += d.kind === 'shortened' ? 7 : 8;
  }
  return { days, hours40 };
}

/** Runs of consecutive days off that contain a holiday or a weekday off: the "rest periods" the government announces. */
function restPeriods(calendar: ProductionCalendar, year: number): string[] {
  const holiday = /-(01-0[1-8]|02-23|03-08|05-01|05-09|06-12|11-04)$/;
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.some((d) => holiday.test(d) || weekdayOf(d) <= 5)) {
      const first = run[0] ?? '';
      const last = run[run.length - 1] ?? '';
      out.push(first === last ? first.slice(5) : `${first.slice(5)}..${last.slice(5)}`);
    }
    run = [];
  };
  for (const d of calendar.daysOf(year)) {
    if (d.kind === 'dayoff') run.push(d.date);
    else flush();
  }
  flush();
  return out;
}

describe('shipped production calendar 2019–2026', () => {
  // Norms of working time for a 40-hour week published by the Ministry of Labour each year
  // (for 2020 and 2021 as set before the presidential decrees).
  it.each([
    [2019, 247, 1970],
    [2020, 248, 1979],
    [2021, 247, 1972],
    [2022, 247, 1973],
    [2023, 247, 1973],
    [2024, 248, 1979],
    [2025, 247, 1972],
    [2026, 247, 1972],
  ])('%i has %i working days and %i hours for a 40-hour week', (year, days, hours40) => {
    expect(norms(governmentOnly, year)).toEqual({ days, hours40 });
  });

  // The rest periods as the Government announced them with each year's decree.
  it.each([
    [2019, ['01-01..01-08', '02-23..02-24', '03-08..03-10', '05-01..05-05', '05-09..05-12', '06-12', '11-02..11-04']],
    [2020, ['01-01..01-08', '02-22..02-24', '03-07..03-09', '05-01..05-05', '05-09..05-11', '06-12..06-14', '11-04']],
    [2021, ['01-01..01-10', '02-21..02-23', '03-06..03-08', '05-01..05-03', '05-08..05-10', '06-12..06-14', '11-04..11-07', '12-31']],
    [2022, ['01-01..01-09', '02-23', '03-06..03-08', '04-30..05-03', '05-07..05-10', '06-11..06-13', '11-04..11-06']],
    [2023, ['01-01..01-08', '02-23..02-26', '03-08', '04-29..05-01', '05-06..05-09', '06-10..06-12', '11-04..11-06']],
    [2024, ['01-01..01-08', '02-23..02-25', '03-08..03-10', '04-28..05-01', '05-09..05-12', '06-12', '11-03..11-04', '12-29..12-31']],
    [2025, ['01-01..01-08', '02-22..02-23', '03-08..03-09', '05-01..05-04', '05-08..05-11', '06-12..06-15', '11-02..11-04', '12-31']],
    [2026, ['01-01..01-11', '02-21..02-23', '03-07..03-09', '05-01..05-03', '05-09..05-11', '06-12..06-14', '11-04', '12-31']],
  ])('%i rest periods are those the Government announced', (year, periods) => {
    expect(restPeriods(governmentOnly, year)).toEqual(periods);
  });

  it('counts the days the President declared non-working in 2020 and 2021', () => {
    expect(norms(SHIPPED_CALENDAR, 2020).days).toBe(248 - 29);
    expect(norms(SHIPPED_CALENDAR, 2021).days).toBe(247 - 7);
    expect(restPeriods(SHIPPED_CALENDAR, 2020)).toContain('03-28..05-11');
    expect(restPeriods(SHIPPED_CALENDAR, 2020)).toContain('06-24');
    expect(restPeriods(SHIPPED_CALENDAR, 2020)).toContain('07-01');
    expect(restPeriods(SHIPPED_CALENDAR, 2021)).toContain('05-01..05-10');
    expect(restPeriods(SHIPPED_CALENDAR, 2021)).toContain('10-30..11-07');
  });

  // 2025 months as the Ministry's calendar gives them: 17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22.
  it('has the 2025 working days of every month', () => {
    const perMonth = Array.from({ length: 12 }, () => 0);
    for (const d of SHIPPED_CALENDAR.daysOf(2025)) if (d.kind !== 'dayoff') perMonth[Number(d.date.slice(5, 7)) - 1]! += 1;
    expect(perMonth).toEqual([17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22]);
  });

  it.each<[string, DayKind]>([
    ['2024-12-28', 'working'], // Saturday worked for Monday 30.12 (Пост. № 1314)
    ['2024-04-27', 'working'],
    ['2024-11-02', 'shortened'],
    ['2025-11-01', 'shortened'], // Saturday worked for Monday 03.11, before 04.11
    ['2025-11-03', 'dayoff'],
    ['2026-03-09', 'dayoff'], // Sunday 08.03 moved to Monday
    ['2026-03-06', 'working'], // before a Saturday, not before a holiday: full day
    ['2025-12-30', 'working'], // 31.12 is a moved day off, not a holiday: full day
    ['2025-12-31', 'dayoff'],
    ['2026-01-09', 'dayoff'],
    ['2026-01-12', 'working'],
    ['2025-02-24', 'working'], // 23.02 (Sunday) moved to 08.05 by Пост. № 1335, not to the Monday
    ['2025-05-08', 'dayoff'],
    ['2025-06-13', 'dayoff'],
    ['2020-06-24', 'dayoff'],
    ['2020-07-01', 'dayoff'],
    ['2020-06-23', 'working'], // not a pre-holiday day: 24.06 was a decree day, not a holiday
    ['2020-05-12', 'working'],
    ['2021-05-04', 'dayoff'],
    ['2021-11-01', 'dayoff'],
    ['2021-02-20', 'shortened'],
    ['2022-03-05', 'shortened'],
    ['2023-11-06', 'dayoff'],
    ['2019-05-10', 'dayoff'],
    ['2019-12-31', 'shortened'],
    ['2026-12-31', 'dayoff'],
    ['2026-11-03', 'shortened'],
    ['2025-11-29', 'dayoff'], // an ordinary Saturday
    ['2025-11-28', 'working'], // an ordinary Friday
  ])('%s is %s', (date, kind) => {
    expect(SHIPPED_CALENDAR.kindOf(date)).toBe(kind);
  });

  // The shortened days and working weekend days as published with each year's calendar.
  it.each([
    [2019, ['02-22', '03-07', '04-30', '05-08', '06-11', '12-31'], []],
    [2020, ['06-11', '11-03', '12-31'], []], // 30.04 and 08.05 became non-working by decree
    [2021, ['02-20', '04-30', '06-11'], ['02-20']], // 03.11 became non-working by decree
    [2022, ['02-22', '03-05', '11-03'], ['03-05']],
    [2023, ['02-22', '03-07', '11-03'], []],
    [2024, ['02-22', '03-07', '05-08', '06-11', '11-02'], ['04-27', '11-02', '12-28']],
    [2025, ['03-07', '04-30', '06-11', '11-01'], ['11-01']],
    [2026, ['04-30', '05-08', '06-11', '11-03'], []],
  ])('%i: shortened days and working weekend days', (year, shortened, workingWeekend) => {
    const days = SHIPPED_CALENDAR.daysOf(year);
    expect(days.filter((d) => d.kind === 'shortened').map((d) => d.date.slice(5))).toEqual(shortened);
    expect(days.filter((d) => d.kind !== 'dayoff' && weekdayOf(d.date) >= 6).map((d) => d.date.slice(5))).toEqual(workingWeekend);
  });

  it('a year after the last loaded one is provisional, on the Labour Code alone; one before the first is refused', () => {
    expect(SHIPPED_CALENDAR.hasYear(2027)).toBe(false);
    expect(SHIPPED_CALENDAR.isProvisional(2027)).toBe(true);
    expect(SHIPPED_CALENDAR.isProvisional(2026)).toBe(false);
    expect(SHIPPED_CALENDAR.kindOf('2027-01-08')).toBe('dayoff'); // ст. 112: Новогодние каникулы
    expect(SHIPPED_CALENDAR.kindOf('2027-01-11')).toBe('working');
    expect(SHIPPED_CALENDAR.day('2027-05-03')).toEqual({ date: '2027-05-03', kind: 'dayoff', why: 'выходной перенесён с 01.05 (ст. 112 ч. 2 ТК РФ; предварительно)' });
    expect(SHIPPED_CALENDAR.daysOf(2027)).toHaveLength(365);
    expect(SHIPPED_CALENDAR.provisionalYearsBetween('2026-12-30', '2028-01-11')).toEqual([2027, 2028]);
    expect(() => SHIPPED_CALENDAR.yearData(2027)).toThrow(CalendarYearMissingError);
    expect(() => SHIPPED_CALENDAR.kindOf('2018-12-31')).toThrow(CalendarYearMissingError);
    expect(() => SHIPPED_CALENDAR.kindOf('2018-12-31')).toThrow(/no data for 2018/);
  });

  it('lists every date of a year once, in order', () => {
    const days = SHIPPED_CALENDAR.daysOf(2024);
    expect(days).toHaveLength(366);
    expect(days[0]).toEqual({ date: '2024-01-01', kind: 'dayoff' });
    expect(days[365]).toEqual({ date: '2024-12-31', kind: 'dayoff' });
    expect(new Set(days.map((d) => d.date)).size).toBe(366);
    expect(nextDate('2024-02-28')).toBe('2024-02-29');
  });

  it('every shipped year passes the same validation an imported one does', () => {
    for (const y of RU_CALENDAR_2019_2026) expect(calendarYearSchema.safeParse(y).success).toBe(true);
  });

  it('an added year replaces the shipped one of the same number and adds a new one', () => {
    const y2027: CalendarYear = { year: 2027, source: 'test', days: [{ date: '2027-01-11', kind: 'dayoff' }] };
    const cal = SHIPPED_CALENDAR.with([y2027, { year: 2025, source: 'test', days: [] }]);
    expect(cal.kindOf('2027-01-11')).toBe('dayoff');
    expect(cal.kindOf('2027-01-12')).toBe('working');
    expect(cal.kindOf('2025-11-04')).toBe('working');
    expect(SHIPPED_CALENDAR.kindOf('2025-11-04')).toBe('dayoff');
  });
});
