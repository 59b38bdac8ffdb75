import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import { clockFor, stepDue } from '../../workflow/deadline-plan.js';
import { DEFAULT_OFFICE_HOURS } from '../../workflow/office-hours.js';
import { PRESETS, PRESET_IDS, STEPS, resolveProfile } from '../../workflow/profiles.js';
import { WorkingClock, addTerm, subtractTerm, type Term } from '../../workflow/terms.js';

// Starts from 2019 to mid-2026 so that every due time stays inside the shipped calendar.
const FROM = Date.parse('2019-01-01T00:00:00Z');
const TO = Date.parse('2026-06-30T00:00:00Z');
const instant = fc.integer({ min: FROM, max: TO });
const zone = fc.constantFrom('Europe/Moscow', 'Europe/Kirov', 'Asia/Barnaul', 'Asia/Sakhalin', 'Europe/Kaliningrad');
const vpHours = PRESETS['vyatskiye-polyany'].officeHours;
const hours = fc.constantFrom(DEFAULT_OFFICE_HOURS, vpHours);
const clockArb = fc.tuple(zone, hours).map(([z, h]) => new WorkingClock(SHIPPED_CALENDAR, h, z));
const minutes = fc.integer({ min: 0, max: 3 * 24 * 60 });
const term: fc.Arbitrary<Term> = fc.oneof(
  minutes.map((m) => ({ kind: 'working-hours' as const, minutes: m })),
  minutes.map((m) => ({ kind: 'working-day-hours' as const, minutes: m })),
  fc.integer({ min: 0, max: 15 }).map((d) => ({ kind: 'working-days' as const, days: d })),
  minutes.map((m) => ({ kind: 'clock' as const, minutes: m })),
);

describe('deadline properties', () => {
  it('due times are monotonic in the start, for every kind of term', () => {
    fc.assert(
      fc.property(clockArb, term, instant, instant, (clock, t, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addTerm(clock, early, t)).toBeLessThanOrEqual(addTerm(clock, late, t));
      }),
    );
  });

  it('every preset step is monotonic in the start', () => {
    const rule = fc.tuple(fc.constantFrom(...PRESET_IDS), fc.constantFrom(...STEPS), fc.constantFrom('normal' as const, 'high' as const));
    fc.assert(
      fc.property(rule, instant, instant, ([id, step, importance], a, b) => {
        const profile = resolveProfile(id);
        if (!profile.steps[step][importance]) return;
        const clock = clockFor(profile, SHIPPED_CALENDAR);
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(stepDue(clock, profile, step, importance, early)).toBeLessThanOrEqual(stepDue(clock, profile, step, importance, late));
      }),
    );
  });

  it('a working-hours term never ends outside office hours', () => {
    fc.assert(
      fc.property(clockArb, fc.integer({ min: 1, max: 3 * 24 * 60 }), instant, (clock, m, start) => {
        const due = clock.addWorkingMinutes(start, m);
        // Inside an office interval, or exactly at its close: (open, close].
        const inside = [clock.localDate(due), clock.localDate(due - 1)].some((d) =>
          clock.officeIntervals(d).some(([open, close]) => open < due && due <= close),
        );
        expect(inside).toBe(true);
      }),
    );
  });

  it('adding a then b equals adding a + b', () => {
    const additive = fc.constantFrom('working-hours', 'working-day-hours', 'clock') as fc.Arbitrary<'working-hours' | 'working-day-hours' | 'clock'>;
    fc.assert(
      fc.property(clockArb, additive, minutes, minutes, instant, (clock, kind, a, b, start) => {
        const stepwise = addTerm(clock, addTerm(clock, start, { kind, minutes: a }), { kind, minutes: b });
        expect(stepwise).toBe(addTerm(clock, start, { kind, minutes: a + b }));
      }),
    );
  });

  it('adding a then b working days equals adding a + b working days', () => {
    const days = fc.integer({ min: 1, max: 12 });
    fc.assert(
      fc.property(clockArb, days, days, instant, (clock, a, b, start) => {
        const stepwise = clock.addWorkingDays(clock.addWorkingDays(start, a), b);
        expect(stepwise).toBe(clock.addWorkingDays(start, a + b));
      }),
    );
  });

  it('"N before a deadline" leaves exactly N of working time until it', () => {
    fc.assert(
      fc.property(clockArb, fc.constantFrom('working-hours' as const, 'working-day-hours' as const), minutes, instant, (clock, kind, m, start) => {
        const deadline = addTerm(clock, start, { kind, minutes: 3 * 24 * 60 });
        const earlier = subtractTerm(clock, deadline, { kind, minutes: m });
        expect(earlier).toBeLessThanOrEqual(deadline);
        expect(addTerm(clock, earlier, { kind, minutes: m })).toBe(deadline);
      }),
    );
  });
});
