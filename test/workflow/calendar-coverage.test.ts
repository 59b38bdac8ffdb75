import { describe, expect, it } from '@jest/globals';
import { SHIPPED_CALENDAR, type CalendarYear } from '../../workflow/calendar.js';
import { calendarCoverage, calendarImportCommand, provisionalNote } from '../../workflow/calendar-coverage.js';

// Every `now` is passed in: these hold on any date the suite runs.
const at = (iso: string): Date => new Date(iso);
const year = (y: number): CalendarYear => ({ year: y, source: 'test', days: [] });

describe('how far the loaded production calendar reaches (issue 12)', () => {
  it('two months before the last year ends: admins are warned, with the one-liner to import the next', () => {
    const c = calendarCoverage(at('2026-11-29T12:00:00+03:00'), SHIPPED_CALENDAR);
    expect(c).toMatchObject({ lastKnownYear: 2026, endsOn: '2026-12-31', daysLeft: 32, nextYear: 2027, provisionalNow: false, warn: true });
    expect(c.importCommand).toBe('curl -fsSL https://xmlcalendar.ru/data/ru/2027/calendar.xml -o 2027.xml && ./bin/otklik calendar import 2027.xml');
    expect(c.warning).toBe(
      'Производственный календарь загружен по 2026 год (до 31.12.2026, осталось 32 дня). Сроки, заходящие в 2027 год, уже считаются предварительно — ' +
        'только по праздникам ст. 112 ТК РФ, без переносов выходных по постановлению Правительства. Загрузите календарь на 2027 год: ' +
        'curl -fsSL https://xmlcalendar.ru/data/ru/2027/calendar.xml -o 2027.xml && ./bin/otklik calendar import 2027.xml',
    );
  });

  it.each([
    ['2026-10-31T12:00:00+03:00', 61, false],
    ['2026-11-01T12:00:00+03:00', 60, true],
    ['2026-12-10T12:00:00+03:00', 21, true],
    ['2026-12-30T12:00:00+03:00', 1, true],
  ])('on %s: %i days left, warn %s', (now, daysLeft, warn) => {
    const c = calendarCoverage(at(now), SHIPPED_CALENDAR);
    expect([c.daysLeft, c.warn, c.warning === null]).toEqual([daysLeft, warn, !warn]);
  });

  it('Russian plurals of the days left', () => {
    expect(calendarCoverage(at('2026-12-10T12:00:00+03:00'), SHIPPED_CALENDAR).warning).toContain('осталось 21 день');
    expect(calendarCoverage(at('2026-12-17T12:00:00+03:00'), SHIPPED_CALENDAR).warning).toContain('осталось 14 дней');
    expect(calendarCoverage(at('2026-12-31T12:00:00+03:00'), SHIPPED_CALENDAR).warning).toContain('сегодня последний день');
  });

  it('past the end: due times are provisional now, and the warning says so', () => {
    const c = calendarCoverage(at('2027-01-15T12:00:00+03:00'), SHIPPED_CALENDAR);
    expect(c).toMatchObject({ lastKnownYear: 2026, daysLeft: -15, nextYear: 2027, provisionalNow: true, warn: true });
    expect(c.warning).toMatch(/^Производственный календарь на 2027 год не загружен: сроки считаются предварительно .* помечен «срок предварительный»\. Загрузите календарь: curl/);
  });

  it('the end of the year is the tenant\'s: Sakhalin is in the new year while Moscow is still in the old one', () => {
    const now = at('2026-12-31T20:00:00Z');
    expect(calendarCoverage(now, SHIPPED_CALENDAR, 'Europe/Moscow')).toMatchObject({ daysLeft: 0, provisionalNow: false });
    expect(calendarCoverage(now, SHIPPED_CALENDAR, 'Asia/Sakhalin')).toMatchObject({ daysLeft: -1, provisionalNow: true });
  });

  it('an imported next year ends the warning; a year imported beyond a gap does not count', () => {
    expect(calendarCoverage(at('2026-11-29T12:00:00+03:00'), SHIPPED_CALENDAR.with([year(2027)]))).toMatchObject({ lastKnownYear: 2027, daysLeft: 397, warn: false, warning: null });
    expect(calendarCoverage(at('2026-11-29T12:00:00+03:00'), SHIPPED_CALENDAR.with([year(2028)]))).toMatchObject({ lastKnownYear: 2026, nextYear: 2027, warn: true });
  });

  it('the note beside a provisional due time', () => {
    expect(provisionalNote([2027])).toBe('срок предварительный: календарь на 2027 год не загружен');
    expect(provisionalNote([2027, 2028])).toBe('срок предварительный: календарь на 2027, 2028 годы не загружен');
    expect(calendarImportCommand(2031)).toContain('/data/ru/2031/calendar.xml -o 2031.xml && ./bin/otklik calendar import 2031.xml');
  });
});
