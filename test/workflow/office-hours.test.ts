import { describe, expect, it } from '@jest/globals';
import { SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import { DEFAULT_OFFICE_HOURS, officeHoursSchema, officeMinutesOn, type OfficeHours } from '../../workflow/office-hours.js';
import { PRESETS } from '../../workflow/profiles.js';
import { WorkingClock, describeTerm } from '../../workflow/terms.js';

const h = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const show = (pairs: Array<[number, number]>): string[] => pairs.map(([a, b]) => `${h(a)}-${h(b)}`);
const vp = PRESETS['vyatskiye-polyany'].officeHours;

describe('office hours on a date', () => {
  it.each<[OfficeHours, string, string[]]>([
    [DEFAULT_OFFICE_HOURS, '2025-12-01', ['09:00-13:00', '14:00-18:00']],
    [DEFAULT_OFFICE_HOURS, '2025-04-30', ['09:00-13:00', '14:00-17:00']], // pre-holiday: one hour less
    [DEFAULT_OFFICE_HOURS, '2025-11-01', ['09:00-13:00', '14:00-17:00']], // shortened Saturday, Monday's schedule
    [DEFAULT_OFFICE_HOURS, '2024-12-28', ['09:00-13:00', '14:00-18:00']], // working Saturday
    [DEFAULT_OFFICE_HOURS, '2026-03-09', []],
    [DEFAULT_OFFICE_HOURS, '2025-11-29', []],
    [vp, '2025-12-04', ['08:00-12:00', '13:00-17:00']],
    [vp, '2025-12-05', ['09:00-15:45']],
    [vp, '2026-04-30', ['09:00-15:45']], // pre-holiday Thursday (001 [10])
    [vp, '2024-12-28', ['08:00-12:00', '13:00-17:00']],
  ])('%#: %s', (hours, date, expected) => {
    expect(show(officeMinutesOn(hours, date, SHIPPED_CALENDAR.kindOf(date)))).toEqual(expected);
  });

  it('a cut longer than the last interval takes the rest from the one before it', () => {
    const hours: OfficeHours = { ...DEFAULT_OFFICE_HOURS, shortened: { endEarlierMinutes: 5 * 60 } };
    expect(show(officeMinutesOn(hours, '2025-04-30', 'shortened'))).toEqual(['09:00-12:00']);
  });

  it('an office open until midnight ends the day at 24:00', () => {
    const allDay = [{ from: '00:00', to: '24:00' }];
    const hours: OfficeHours = { week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: [], sun: [] }, shortened: { endEarlierMinutes: 0 } };
    const clock = new WorkingClock(SHIPPED_CALENDAR, hours, 'Europe/Moscow');
    const friday = Date.parse('2025-11-28T20:00:00+03:00');
    expect(clock.format(clock.addWorkingMinutes(friday, 4 * 60))).toBe('2025-11-29T00:00:00+03:00');
    expect(clock.format(clock.addWorkingMinutes(friday, 5 * 60))).toBe('2025-12-01T01:00:00+03:00');
  });

  it.each([
    [{ week: { ...DEFAULT_OFFICE_HOURS.week, tue: [{ from: '9:00', to: '18:00' }] }, shortened: { endEarlierMinutes: 60 } }, 'week.tue.0.from'],
    [{ week: { ...DEFAULT_OFFICE_HOURS.week, wed: [{ from: '14:00', to: '18:00' }, { from: '09:00', to: '13:00' }] }, shortened: { endEarlierMinutes: 60 } }, 'week.wed.1.from'],
    [{ week: DEFAULT_OFFICE_HOURS.week, shortened: { endEarlierMinutes: -1 } }, 'shortened.endEarlierMinutes'],
    [{ week: DEFAULT_OFFICE_HOURS.week, shortened: { endEarlierMinutes: 60 }, weekendWorkdayAs: 'monday' }, 'weekendWorkdayAs'],
  ])('refuses a schedule an admin got wrong, naming the field (%#)', (value, field) => {
    const parsed = officeHoursSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});

describe('working clock boundaries', () => {
  const clock = new WorkingClock(SHIPPED_CALENDAR, DEFAULT_OFFICE_HOURS, 'Europe/Moscow');
  const at = (s: string): number => Date.parse(s);

  it('a start at the very close counts from the next opening', () => {
    expect(clock.format(clock.addWorkingMinutes(at('2025-12-01T18:00:00+03:00'), 30))).toBe('2025-12-02T09:30:00+03:00');
    expect(clock.format(clock.addWorkingMinutes(at('2025-12-01T13:00:00+03:00'), 30))).toBe('2025-12-01T14:30:00+03:00');
  });

  it('a zero term ends where it starts', () => {
    expect(clock.addWorkingMinutes(at('2025-11-29T12:00:00+03:00'), 0)).toBe(at('2025-11-29T12:00:00+03:00'));
  });

  it('a working-day clock started on a day off runs from 00:00 of the next working day', () => {
    expect(clock.format(clock.addWorkingDayMinutes(at('2026-03-08T12:00:00+03:00'), 60))).toBe('2026-03-10T01:00:00+03:00');
  });

  it('7 working days from an event on a day off count from the next day, as from any other', () => {
    expect(clock.format(clock.addWorkingDays(at('2026-03-08T12:00:00+03:00'), 7))).toBe('2026-03-18T18:00:00+03:00');
  });

  it('knows whether the office is open', () => {
    expect(clock.isOpen(at('2025-12-01T12:59:00+03:00'))).toBe(true);
    expect(clock.isOpen(at('2025-12-01T13:00:00+03:00'))).toBe(false);
    expect(clock.isOpen(at('2024-12-28T10:00:00+03:00'))).toBe(true);
  });

  it('an office with no hours at all is a configuration error, not an endless loop', () => {
    const closed: OfficeHours = { week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, shortened: { endEarlierMinutes: 60 } };
    const never = new WorkingClock(SHIPPED_CALENDAR, closed, 'Europe/Moscow');
    expect(() => never.addWorkingMinutes(at('2019-01-09T10:00:00+03:00'), 60)).toThrow(/no working time within 1098 days from 2019-01-09/);
  });

  it('describes terms in Russian for the curator', () => {
    expect(describeTerm({ kind: 'working-hours', minutes: 8 * 60 })).toBe('8 ч рабочего времени');
    expect(describeTerm({ kind: 'working-day-hours', minutes: 90 })).toBe('1 ч 30 мин по рабочим дням');
    expect(describeTerm({ kind: 'working-days', days: 7 })).toBe('7 раб. дн.');
    expect(describeTerm({ kind: 'clock', minutes: 30 })).toBe('30 мин');
  });
});
