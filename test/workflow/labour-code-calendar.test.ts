import { describe, expect, it } from '@jest/globals';
import { ProductionCalendar, type DayKind } from '../../workflow/calendar.js';
import { RU_CALENDAR_2019_2026 } from '../../workflow/calendar-data/ru-2019-2026.js';
import { labourCodeYear } from '../../workflow/labour-code-calendar.js';

const listed = (year: number, kind: DayKind): string[] => labourCodeYear(year).days.filter((d) => d.kind === kind).map((d) => d.date.slice(5));

describe('a year on the Labour Code alone (ТК РФ ст. 112, 95), for a year whose decree is not loaded', () => {
  it('2027: the holidays of ст. 112 ч. 1, weekend holidays moved to the next working day (ч. 2), pre-holiday days (ст. 95)', () => {
    // 1 January 2027 is a Friday. 1 May and 12 June are Saturdays, 9 May a Sunday: Mondays 3 May,
    // 10 May and 14 June are off. The January weekend (2–3 January) moves only by decree: not here.
    expect(listed(2027, 'dayoff')).toEqual([
      '01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08',
      '02-23', '03-08', '05-01', '05-03', '05-09', '05-10', '06-12', '06-14', '11-04',
    ]);
    // Monday 22.02 before Tuesday's holiday; Friday 30.04 and 11.06 before Saturday's; 3.11; 31.12
    // before 1 January. Not Friday 5 March: Sunday 7 March lies between it and Monday's holiday.
    expect(listed(2027, 'shortened')).toEqual(['02-22', '04-30', '06-11', '11-03', '12-31']);
    expect(labourCodeYear(2027).source).toMatch(/^ТК РФ ст\. 112/);
  });

  it('2028, a leap year: 4 November, a Saturday, moves to Monday; no pre-holiday day with a weekend between', () => {
    // 23 February and 8 March are Wednesdays, 1 May and 12 June Mondays, 9 May a Tuesday.
    expect(listed(2028, 'dayoff').filter((d) => !d.startsWith('01-'))).toEqual(['02-23', '03-08', '05-01', '05-09', '06-12', '11-04', '11-06']);
    // Not Friday 28 April, 9 June or 29 December: a weekend lies before the holiday.
    expect(listed(2028, 'shortened')).toEqual(['02-22', '03-07', '05-08', '11-03']);
  });

  // Against the decrees 2019–2026 (as the government set them, before the 2020–2021 presidential
  // decrees): every holiday is right; each difference is a transfer that only a decree makes.
  it.each(RU_CALENDAR_2019_2026.map((y) => [y.year, y] as const))('%i: every difference from the decree is the decree\'s own transfer', (year, real) => {
    const government = new ProductionCalendar([{ ...real, days: real.days.map((d) => (d.byDecree ? { date: d.date, kind: d.byDecree.wasKind } : d)) }]);
    const law = new ProductionCalendar([labourCodeYear(year)]);
    const decree = /Пост\.|постановление/;
    const unexplained: string[] = [];
    let differences = 0;
    for (const { date, kind } of government.daysOf(year)) {
      if (law.kindOf(date) === kind) continue;
      differences++;
      const realWhy = government.day(date).why ?? '';
      const lawWhy = law.day(date).why ?? '';
      // A ч. 2 move the decree placed elsewhere: the real year moved the same holiday's weekend by decree.
      const movedFrom = /перенесён с (\d\d\.\d\d)/.exec(lawWhy)?.[1];
      const placedElsewhere = movedFrom !== undefined && real.days.some((d) => d.why.includes(movedFrom) && decree.test(d.why));
      if (!decree.test(realWhy) && !placedElsewhere) unexplained.push(`${date}: закон ${law.kindOf(date)}, календарь ${kind}`);
    }
    expect(unexplained).toEqual([]);
    for (const d of labourCodeYear(year).days.filter((x) => /ст\. 112 ТК РФ\)$/.test(x.why ?? ''))) expect([d.date, government.kindOf(d.date)]).toEqual([d.date, 'dayoff']);
    // 2 to 8 dates a year: what the comment in labour-code-calendar.ts says.
    expect(differences).toBeGreaterThanOrEqual(2);
    expect(differences).toBeLessThanOrEqual(8);
  });
});
