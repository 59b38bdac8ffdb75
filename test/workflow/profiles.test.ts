// Hand-worked examples: each expected due time below was counted by hand from the
// regulation's figure, the office hours and the production calendar; the comment says how.
import { describe, expect, it } from '@jest/globals';
import { SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import { StepNotSetError, clockFor, stepDue, toMs } from '../../workflow/deadline-plan.js';
import { PRESETS, PRESET_IDS, STEPS, resolveProfile, type Importance, type Step } from '../../workflow/profiles.js';

function due(profileId: string, step: Step, importance: Importance, from: string, options = {}): string {
  const profile = resolveProfile(profileId, options);
  const clock = clockFor(profile, SHIPPED_CALENDAR);
  return clock.format(stepDue(clock, profile, step, importance, toMs(from)));
}

type Row = [string, Step, Importance, string, string, string];

const examples: Row[] = [
  // 000 Крымский, Europe/Moscow, default office hours 09–13, 14–18, pre-holiday to 17:00.
  ['krymsk', 'answer', 'normal', '2025-11-28T15:00:00+03:00', '2025-12-01T15:00:00+03:00', 'Friday 15–18 = 3 h, Monday 09–13 = 4 h, 14–15 = 1 h'],
  ['krymsk', 'answer', 'normal', '2025-11-28T19:00:00+03:00', '2025-12-01T18:00:00+03:00', 'Friday evening: from Monday 09:00; 8 h end exactly at 18:00, the close'],
  ['krymsk', 'answer', 'high', '2025-11-28T15:00:00+03:00', '2025-12-01T10:00:00+03:00', '3 h Friday, 1 h Monday'],
  ['krymsk', 'answer', 'normal', '2025-12-03T13:20:00+03:00', '2025-12-04T13:00:00+03:00', 'lunch: from 14:00; 4 h Wednesday, 4 h Thursday end at 13:00, not 14:00'],
  ['krymsk', 'answer', 'high', '2025-12-03T13:20:00+03:00', '2025-12-03T18:00:00+03:00', 'lunch: 14:00 + 4 h'],
  ['krymsk', 'answer', 'normal', '2025-12-30T16:00:00+03:00', '2026-01-12T16:00:00+03:00', 'New Year: 2 h on 30.12 (a full day), 31.12–11.01 off, 6 h on 12.01'],
  ['krymsk', 'answer', 'normal', '2024-12-27T17:00:00+03:00', '2024-12-28T17:00:00+03:00', 'working Saturday 28.12.2024: 1 h Friday, 7 h Saturday'],
  ['krymsk', 'answer', 'normal', '2025-10-31T17:00:00+03:00', '2025-11-01T17:00:00+03:00', 'shortened Saturday 01.11.2025 closes at 17:00: 1 h + 4 h + 3 h'],
  ['krymsk', 'answer', 'high', '2025-11-01T16:30:00+03:00', '2025-11-05T12:30:00+03:00', '30 min on 01.11, 02–04.11 off, 3.5 h on 05.11'],
  ['krymsk', 'answer', 'normal', '2026-03-06T14:00:00+03:00', '2026-03-10T13:00:00+03:00', '4 h Friday, 07–09.03 off (09.03 moved), 4 h Tuesday'],
  ['krymsk', 'answer', 'normal', '2026-01-08T12:00:00+03:00', '2026-01-12T18:00:00+03:00', 'message on a holiday: the whole of Monday 12.01'],
  ['krymsk', 'triage', 'normal', '2025-11-28T17:45:00+03:00', '2025-12-01T09:15:00+03:00', '15 min Friday, 15 min Monday'],
  ['krymsk', 'triage', 'high', '2025-12-03T10:00:00+03:00', '2025-12-03T10:30:00+03:00', '30 min within the morning'],
  ['krymsk', 'draft', 'normal', '2025-11-28T15:00:00+03:00', '2025-12-01T10:00:00+03:00', 'answer Monday 15:00 less 4 working hours: 1 h after lunch, 3 h before it'],
  ['krymsk', 'draft', 'high', '2025-11-28T15:00:00+03:00', '2025-12-01T09:00:00+03:00', 'answer Monday 10:00 less 1 working hour'],
  ['krymsk', 'draft', 'normal', '2025-12-03T09:00:00+03:00', '2025-12-03T14:00:00+03:00', 'answer 18:00 less 4 h is 14:00, the latest instant with 4 h left'],
  ['krymsk', 'review', 'normal', '2025-12-01T17:50:00+03:00', '2025-12-02T09:20:00+03:00', '10 min Monday, 20 min Tuesday'],
  ['krymsk', 'rework', 'normal', '2025-12-02T12:30:00+03:00', '2025-12-02T14:30:00+03:00', '30 min before lunch, 30 min after'],
  ['krymsk', 'publish', 'high', '2025-12-02T11:00:00+03:00', '2025-12-02T11:30:00+03:00', '30 min'],
  ['krymsk', 'final-after-interim', 'normal', '2025-12-25T11:00:00+03:00', '2026-01-15T18:00:00+03:00', '26, 29, 30.12, then 12–15.01: the 7th working day closes at 18:00'],
  ['krymsk', 'final-after-interim', 'normal', '2025-12-01T10:00:00+03:00', '2025-12-10T18:00:00+03:00', 'counting from the next day: 2, 3, 4, 5, 8, 9, 10.12'],
  ['krymsk', 'final-after-interim', 'high', '2026-04-21T10:00:00+03:00', '2026-04-30T17:00:00+03:00', '7th working day is pre-holiday 30.04, closing at 17:00'],

  // 001 Вятские Поляны, Europe/Kirov, Mon–Thu 08–12, 13–17; Fri and pre-holiday 09–15:45 (001 [10]).
  ['vyatskiye-polyany', 'answer', 'normal', '2025-11-28T15:00:00+03:00', '2025-12-01T15:00:00+03:00', '24 h on working days: 9 h Friday, 15 h Monday'],
  ['vyatskiye-polyany', 'answer', 'normal', '2025-11-29T10:00:00+03:00', '2025-12-02T00:00:00+03:00', 'Saturday: the clock starts Monday 00:00 and runs all of Monday'],
  ['vyatskiye-polyany', 'answer', 'normal', '2025-12-30T12:00:00+03:00', '2026-01-12T12:00:00+03:00', 'New Year: 12 h on 30.12, 12 h on 12.01'],
  ['vyatskiye-polyany', 'answer', 'high', '2025-11-28T14:00:00+03:00', '2025-12-01T10:15:00+03:00', 'Friday 14:00–15:45 = 1 h 45, Monday 08:00 + 2 h 15'],
  ['vyatskiye-polyany', 'answer', 'high', '2025-12-03T12:30:00+03:00', '2025-12-03T17:00:00+03:00', 'lunch 12–13: from 13:00, 4 h end at the close'],
  ['vyatskiye-polyany', 'answer', 'high', '2025-11-01T10:00:00+03:00', '2025-11-01T14:00:00+03:00', 'shortened Saturday works 09:00–15:45'],
  ['vyatskiye-polyany', 'answer', 'high', '2024-12-28T16:00:00+03:00', '2025-01-09T11:00:00+03:00', 'working Saturday on the Monday schedule: 1 h to 17:00, then 09.01 08:00 + 3 h'],
  ['vyatskiye-polyany', 'answer', 'high', '2026-04-30T08:30:00+03:00', '2026-04-30T13:00:00+03:00', 'pre-holiday Thursday opens 09:00 with no lunch'],
  ['vyatskiye-polyany', 'draft', 'normal', '2025-11-28T10:00:00+03:00', '2025-12-01T08:00:00+03:00', '22 h on working days: 14 h Friday, 8 h Monday'],
  ['vyatskiye-polyany', 'draft', 'high', '2025-12-04T16:00:00+03:00', '2025-12-05T11:00:00+03:00', '3 working hours: 1 h Thursday, 2 h Friday from 09:00'],
  ['vyatskiye-polyany', 'review', 'normal', '2025-12-05T15:15:00+03:00', '2025-12-08T08:30:00+03:00', '30 min to the Friday close at 15:45, 30 min Monday'],
  ['vyatskiye-polyany', 'rework', 'normal', '2025-12-03T11:30:00+03:00', '2025-12-03T13:30:00+03:00', '1 h across the lunch break'],
  ['vyatskiye-polyany', 'rework', 'high', '2025-12-03T16:45:00+03:00', '2025-12-04T08:15:00+03:00', '30 min: 15 Wednesday, 15 Thursday'],
  ['vyatskiye-polyany', 'publish', 'normal', '2025-12-03T07:00:00+03:00', '2025-12-03T08:30:00+03:00', 'before opening: from 08:00'],
  ['vyatskiye-polyany', 'return', 'normal', '2025-12-04T16:30:00+03:00', '2025-12-05T09:30:00+03:00', '30 min Thursday, 30 min Friday from 09:00'],
  ['vyatskiye-polyany', 'return', 'high', '2025-12-05T15:30:00+03:00', '2025-12-08T08:15:00+03:00', '15 min Friday, 15 min Monday'],
  ['vyatskiye-polyany', 'clarification-notice', 'normal', '2025-12-30T15:00:00+03:00', '2025-12-30T17:00:00+03:00', '2 h end exactly at the close, not on 12.01'],
  ['vyatskiye-polyany', 'clarification-notice', 'high', '2025-12-30T16:00:00+03:00', '2026-01-12T09:00:00+03:00', '1 h on 30.12, 1 h on 12.01'],
  ['vyatskiye-polyany', 'triage', 'normal', '2025-12-05T10:00:00+03:00', '2025-12-05T15:45:00+03:00', 'before 15:45 on a Friday: handed over the same day, by the close (001 [10])'],
  ['vyatskiye-polyany', 'triage', 'high', '2026-04-30T11:00:00+03:00', '2026-04-30T15:45:00+03:00', 'the day before 01.05: same day'],
  ['vyatskiye-polyany', 'triage', 'normal', '2026-12-30T10:00:00+03:00', '2026-12-30T17:00:00+03:00', 'Wednesday before the day off 31.12 closes at 17:00'],

  // 002 Ключевский, Asia/Barnaul (+07), default office hours.
  ['klyuchi', 'answer', 'normal', '2025-11-28T15:00:00+07:00', '2025-12-01T16:00:00+07:00', '9 h: 3 Friday, 4 + 2 Monday'],
  ['klyuchi', 'answer', 'normal', '2025-11-28T15:00:00+03:00', '2025-12-02T10:00:00+07:00', '15:00 in Moscow is 19:00 in Barnaul: from Monday 09:00'],
  ['klyuchi', 'answer', 'high', '2026-03-06T17:00:00+07:00', '2026-03-10T18:00:00+07:00', 'no shortened term: 9 h; 07–09.03 off'],
  ['klyuchi', 'answer', 'normal', '2026-01-08T12:00:00+07:00', '2026-01-13T10:00:00+07:00', 'holiday: 8 h on 12.01, 1 h on 13.01'],
  ['klyuchi', 'draft', 'normal', '2025-11-28T15:00:00+07:00', '2025-12-01T11:00:00+07:00', 'answer Monday 16:00 less 4 working hours'],
  ['klyuchi', 'rework', 'normal', '2025-12-01T17:30:00+07:00', '2025-12-02T09:30:00+07:00', '30 min Monday, 30 min Tuesday'],
  ['klyuchi', 'final-after-interim', 'normal', '2026-03-04T12:00:00+07:00', '2026-03-16T18:00:00+07:00', '5, 6, 10, 11, 12, 13, 16.03'],

  // 003 Батайск, Europe/Moscow, plain clock hours.
  ['bataysk', 'answer', 'normal', '2025-11-28T15:00:00+03:00', '2025-11-29T15:00:00+03:00', '24 clock hours, Saturday does not pause'],
  ['bataysk', 'answer', 'high', '2025-12-31T10:00:00+03:00', '2026-01-01T10:00:00+03:00', 'holidays do not pause either'],
  ['bataysk', 'draft', 'normal', '2025-11-28T15:00:00+03:00', '2025-11-29T12:00:00+03:00', '3 h before the answer'],
  ['bataysk', 'review', 'normal', '2025-11-28T23:50:00+03:00', '2025-11-29T00:20:00+03:00', '30 min over midnight'],
  ['bataysk', 'rework', 'high', '2025-12-01T12:30:00+03:00', '2025-12-01T13:30:00+03:00', '1 h, lunch does not pause'],
  ['bataysk', 'publish', 'normal', '2025-12-01T17:45:00+03:00', '2025-12-01T18:15:00+03:00', '30 min past the close'],

  // 004 Охинский, Asia/Sakhalin (+11), default office hours.
  ['okha', 'triage', 'normal', '2025-11-28T16:00:00+11:00', '2025-12-01T10:00:00+11:00', '3 working hours from posting: 2 Friday, 1 Monday'],
  ['okha', 'triage', 'normal', '2025-11-28T15:00:00+03:00', '2025-12-01T12:00:00+11:00', '15:00 Moscow is 23:00 Sakhalin: Monday 09:00 + 3 h'],
  ['okha', 'answer', 'normal', '2025-11-28T15:00:00+03:00', '2025-12-01T23:00:00+11:00', '1 h left of Friday in Sakhalin, 23 h Monday'],
  ['okha', 'answer', 'high', '2025-12-30T20:00:00+11:00', '2026-01-12T20:00:00+11:00', 'New Year pauses the 24 h: 4 h + 20 h'],
  ['okha', 'draft', 'normal', '2025-12-05T20:00:00+11:00', '2025-12-08T20:00:00+11:00', 'within the 24 h: due with the answer'],
  ['okha', 'explanation', 'normal', '2025-12-01T10:00:00+11:00', '2025-12-02T15:00:00+11:00', '12 working hours: 7 Monday, 5 Tuesday'],
  ['okha', 'triage', 'high', '2024-12-28T10:00:00+11:00', '2024-12-28T13:00:00+11:00', 'working Saturday runs office hours'],
  ['okha', 'answer', 'normal', '2024-12-28T10:00:00+11:00', '2025-01-09T10:00:00+11:00', 'working Saturday counts, 29.12–08.01 do not'],
  ['okha', 'answer', 'normal', '2025-11-01T10:00:00+11:00', '2025-11-05T10:00:00+11:00', 'shortened Saturday is a working day: 14 h, then 10 h on 05.11'],
];

describe('hand-worked deadlines of the five presets', () => {
  it.each(examples)('%s %s (%s) from %s is due %s — %s', (profile, step, importance, from, expected) => {
    expect(due(profile, step, importance, from)).toBe(expected);
  });

  it('the same instant gives a different triage deadline in Asia/Sakhalin and Europe/Moscow', () => {
    const from = '2025-11-28T15:00:00+03:00';
    const sakhalin = due('okha', 'triage', 'normal', from);
    const moscow = due('okha', 'triage', 'normal', from, { timeZone: 'Europe/Moscow' });
    expect(sakhalin).toBe('2025-12-01T12:00:00+11:00');
    expect(moscow).toBe('2025-11-28T18:00:00+03:00');
  });

  it('answers with a Moscow offset for a Moscow tenant, whatever offset the input had', () => {
    expect(due('krymsk', 'answer', 'normal', '2025-11-28T12:00:00Z')).toBe('2025-12-01T15:00:00+03:00');
  });

  it.each([
    ['krymsk', 'return'], ['krymsk', 'clarification-notice'], ['krymsk', 'explanation'],
    ['vyatskiye-polyany', 'final-after-interim'], ['vyatskiye-polyany', 'explanation'],
    ['klyuchi', 'triage'], ['klyuchi', 'review'], ['klyuchi', 'publish'],
    ['bataysk', 'triage'], ['bataysk', 'final-after-interim'], ['bataysk', 'return'],
    ['okha', 'review'], ['okha', 'rework'], ['okha', 'publish'],
  ] as Array<[string, Step]>)('%s has no term for %s: an explicit "not set", not a guess', (profile, step) => {
    expect(() => due(profile, step, 'normal', '2025-12-01T10:00:00+03:00')).toThrow(StepNotSetError);
  });

  it('every preset figure cites a clause of its own regulation, or says the regulation has none and gives the reading', () => {
    for (const id of PRESET_IDS) {
      const number = PRESETS[id].regulation.slice(0, 3);
      for (const step of STEPS) {
        for (const f of [PRESETS[id].steps[step].normal, PRESETS[id].steps[step].high]) {
          if (!f) continue;
          // Only the wait for the author's reply may rest on a regulation that does not name a clarification at all.
          const silent = step === 'author-reply' && f.clause === `${number}: запрос уточнения не предусмотрен` && f.reading !== undefined;
          expect([id, step, f.clause.startsWith(`${number} [`) || silent]).toEqual([id, step, true]);
        }
      }
    }
  });

  it('the wait for the author\'s reply: 3 working days from the published request in every preset, with the reading beside it', () => {
    for (const id of PRESET_IDS) {
      expect(PRESETS[id].steps['author-reply'].normal).toMatchObject({ term: { kind: 'working-days', days: 3 }, from: 'clarification-published' });
      expect(PRESETS[id].steps['author-reply'].normal?.reading).toMatch(/^Регламент не задаёт, сколько ждать ответа автора/);
    }
    // A request published on Friday 5 December 2025 at 15:00: Monday, Tuesday, Wednesday, to the close of office.
    expect(due('krymsk', 'author-reply', 'normal', '2025-12-05T15:00:00+03:00')).toBe('2025-12-10T18:00:00+03:00');
  });
});

describe('same-day hand-over before a day off (001 [10])', () => {
  it.each([
    ['2025-12-05T16:00:00+03:00', 'after 15:45 on a Friday'],
    ['2025-12-04T10:00:00+03:00', 'a Thursday before a working Friday'],
    ['2025-11-29T10:00:00+03:00', 'a Saturday'],
  ])('sets no triage term from %s (%s)', (from) => {
    expect(() => due('vyatskiye-polyany', 'triage', 'normal', from)).toThrow(StepNotSetError);
  });

  it('a tenant may switch the rule off', () => {
    expect(() => due('vyatskiye-polyany', 'triage', 'normal', '2025-12-05T10:00:00+03:00', { overrides: { sameDayHandover: null } })).toThrow(StepNotSetError);
  });
});

describe('tenant overrides', () => {
  it('a tenant changes one figure and keeps the rest of its preset', () => {
    const options = { overrides: { steps: { answer: { normal: { term: { kind: 'working-hours', minutes: 6 * 60 }, from: 'detected' } } } } };
    // 6 h: 3 Friday, 3 Monday from 09:00.
    expect(due('krymsk', 'answer', 'normal', '2025-11-28T15:00:00+03:00', options)).toBe('2025-12-01T12:00:00+03:00');
    expect(due('krymsk', 'answer', 'high', '2025-11-28T15:00:00+03:00', options)).toBe('2025-12-01T10:00:00+03:00');
    // The draft is 4 working hours before the overridden answer: 3 h of Monday morning, 1 h of Friday.
    expect(due('krymsk', 'draft', 'normal', '2025-11-28T15:00:00+03:00', options)).toBe('2025-11-28T17:00:00+03:00');
  });

  it('e-mail review in Вятские Поляны is 2 h (001 [13]) when the tenant sets it', () => {
    const options = { overrides: { steps: { review: { normal: { term: { kind: 'working-hours', minutes: 120 }, from: 'draft-submitted', clause: '001 [13]' } } } } };
    expect(due('vyatskiye-polyany', 'review', 'normal', '2025-12-05T15:15:00+03:00', options)).toBe('2025-12-08T09:30:00+03:00');
  });

  it('a tenant sets a step the regulation leaves open, or removes one', () => {
    const set = { overrides: { steps: { triage: { normal: { term: { kind: 'clock', minutes: 45 }, from: 'detected' } } } } };
    expect(due('bataysk', 'triage', 'normal', '2025-12-01T10:00:00+03:00', set)).toBe('2025-12-01T10:45:00+03:00');
    const unset = { overrides: { steps: { publish: { normal: null } } } };
    expect(() => due('krymsk', 'publish', 'normal', '2025-12-01T10:00:00+03:00', unset)).toThrow(StepNotSetError);
  });

  it('a tenant with its own office hours: 08:00–17:00 without a break, 9 h end at the close', () => {
    const day = [{ from: '08:00', to: '17:00' }];
    const officeHours = { week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] }, shortened: { endEarlierMinutes: 60 } };
    expect(due('klyuchi', 'answer', 'normal', '2025-12-01T08:00:00+07:00', { officeHours })).toBe('2025-12-01T17:00:00+07:00');
  });

  it.each([
    [{ overrides: { steps: { answer: { normal: { term: { kind: 'working-hours', minutes: -5 } } } } } }, /overrides\.steps\.answer\.normal/],
    [{ overrides: { steps: { answr: {} } } }, /overrides\.steps/],
    [{ overrides: { timezone: 'Europe/Moscow' } }, /overrides/],
    [{ officeHours: { week: {}, shortened: { endEarlierMinutes: 60 } } }, /officeHours\.week\.mon/],
    [{ officeHours: { week: { mon: [{ from: '14:00', to: '09:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, shortened: { endEarlierMinutes: 60 } } }, /officeHours\.week\.mon\.0\.to/],
  ])('an invalid override is refused naming the field (%#)', (options, field) => {
    expect(() => resolveProfile('krymsk', options)).toThrow(field);
  });

  it('refuses an unknown profile and an unknown time zone', () => {
    expect(() => resolveProfile('moscow')).toThrow(/profile: unknown profile "moscow"/);
    expect(() => due('krymsk', 'answer', 'normal', '2025-12-01T10:00:00+03:00', { timeZone: 'Mars/Olympus' })).toThrow(/Mars\/Olympus/);
  });
});
