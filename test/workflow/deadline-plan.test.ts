import { describe, expect, it } from '@jest/globals';
import { SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import { clockFor, planDeadlines, stepDueDetail, type PlannedDeadline } from '../../workflow/deadline-plan.js';
import { resolveProfile } from '../../workflow/profiles.js';

const brief = (plan: PlannedDeadline[]): Array<[string, string, string]> =>
  plan.map((p) => [`${p.step}${p.round ? `#${p.round}` : ''}`, p.due, p.state]);

describe('deadline plan of one incident', () => {
  it('Крымский: a draft returned once, reworked late, approved and published', () => {
    const plan = planDeadlines(
      {
        importance: 'normal',
        detectedAt: '2025-11-28T15:00:00+03:00',
        handedOverAt: '2025-11-28T15:20:00+03:00',
        drafts: [
          { submittedAt: '2025-12-01T09:40:00+03:00', returnedAt: '2025-12-01T10:00:00+03:00' },
          { submittedAt: '2025-12-01T11:30:00+03:00', approvedAt: '2025-12-01T11:45:00+03:00' },
        ],
        publishedAt: '2025-12-01T12:00:00+03:00',
      },
      resolveProfile('krymsk'),
      SHIPPED_CALENDAR,
      '2025-12-01T12:30:00+03:00',
    );
    expect(brief(plan)).toEqual([
      ['triage', '2025-11-28T15:30:00+03:00', 'met'],
      ['draft', '2025-12-01T10:00:00+03:00', 'met'],
      ['review#1', '2025-12-01T10:10:00+03:00', 'met'],
      ['rework#1', '2025-12-01T11:00:00+03:00', 'late'],
      ['review#2', '2025-12-01T12:00:00+03:00', 'met'],
      ['publish', '2025-12-01T12:15:00+03:00', 'met'],
      ['answer', '2025-12-01T15:00:00+03:00', 'met'],
    ]);
    expect(plan.filter((p) => p.missed).map((p) => p.step)).toEqual(['rework']);
    expect(plan.find((p) => p.step === 'rework')).toMatchObject({ clause: '000 [12]', rule: '1 ч рабочего времени', doneAt: '2025-12-01T11:30:00+03:00' });
    expect(plan.find((p) => p.step === 'draft')?.rule).toBe('за 4 ч рабочего времени до срока ответа');
  });

  it('Ключевский: an interim answer meets the 9 h, then 7 working days run out unpublished', () => {
    const plan = planDeadlines(
      { importance: 'normal', detectedAt: '2026-03-04T10:00:00+07:00', interimAnswerAt: '2026-03-04T17:00:00+07:00' },
      resolveProfile('klyuchi'),
      SHIPPED_CALENDAR,
      '2026-03-20T10:00:00+07:00',
    );
    expect(brief(plan)).toEqual([
      ['draft', '2026-03-04T16:00:00+07:00', 'overdue'],
      ['answer', '2026-03-05T11:00:00+07:00', 'met'],
      ['final-after-interim', '2026-03-16T18:00:00+07:00', 'overdue'],
    ]);
  });

  it('the same incident is on time the day before the final deadline', () => {
    const plan = planDeadlines(
      { importance: 'normal', detectedAt: '2026-03-04T10:00:00+07:00', interimAnswerAt: '2026-03-04T17:00:00+07:00', drafts: [{ submittedAt: '2026-03-04T15:00:00+07:00' }] },
      resolveProfile('klyuchi'),
      SHIPPED_CALENDAR,
      '2026-03-16T17:59:00+07:00',
    );
    expect(plan.filter((p) => p.missed)).toEqual([]);
    expect(plan.find((p) => p.step === 'final-after-interim')?.state).toBe('open');
  });

  it('Вятские Поляны: a return not made is open, not overdue; a late one is missed', () => {
    const timeline = { importance: 'normal' as const, detectedAt: '2025-12-04T16:00:00+03:00', handedOverAt: '2025-12-04T16:30:00+03:00' };
    const profile = resolveProfile('vyatskiye-polyany');
    const open = planDeadlines(timeline, profile, SHIPPED_CALENDAR, '2025-12-05T12:00:00+03:00');
    expect(brief(open)).toEqual([
      ['return', '2025-12-05T09:30:00+03:00', 'open'],
      ['clarification-notice', '2025-12-05T10:30:00+03:00', 'open'],
      ['draft', '2025-12-05T14:30:00+03:00', 'open'],
      ['answer', '2025-12-05T16:00:00+03:00', 'open'],
    ]);
    const late = planDeadlines({ ...timeline, returnedNotOursAt: '2025-12-05T10:00:00+03:00' }, profile, SHIPPED_CALENDAR, '2025-12-05T12:00:00+03:00');
    expect(late.find((p) => p.step === 'return')).toMatchObject({ state: 'late', missed: true });
  });

  it('Вятские Поляны: a Friday message handed over after the close misses the same-day hand-over', () => {
    const plan = planDeadlines(
      { importance: 'normal', detectedAt: '2025-12-05T10:00:00+03:00', handedOverAt: '2025-12-05T15:50:00+03:00' },
      resolveProfile('vyatskiye-polyany'),
      SHIPPED_CALENDAR,
      '2025-12-05T16:00:00+03:00',
    );
    expect(plan[0]).toMatchObject({ step: 'triage', due: '2025-12-05T15:45:00+03:00', state: 'late', missed: true, clause: '001 [10]', rule: 'в тот же день, до конца рабочего времени' });
  });

  it('Охинский: triage and explanation count from posting, the answer from receipt', () => {
    const plan = planDeadlines(
      { importance: 'normal', postedAt: '2025-12-01T08:00:00+11:00', detectedAt: '2025-12-01T12:00:00+11:00' },
      resolveProfile('okha'),
      SHIPPED_CALENDAR,
      '2025-12-01T12:30:00+11:00',
    );
    // Posted before opening: triage 09:00 + 3 h; explanation 4 + 4 h Monday, 4 h Tuesday; answer 12 + 12 clock hours.
    expect(brief(plan)).toEqual([
      ['triage', '2025-12-01T12:00:00+11:00', 'overdue'],
      ['answer', '2025-12-02T12:00:00+11:00', 'open'],
      ['draft', '2025-12-02T12:00:00+11:00', 'open'],
      ['explanation', '2025-12-02T13:00:00+11:00', 'open'],
    ]);
  });

  it('a high-importance incident is planned on the shortened terms', () => {
    const plan = planDeadlines(
      { importance: 'high', detectedAt: '2025-11-28T15:00:00+03:00' },
      resolveProfile('krymsk'),
      SHIPPED_CALENDAR,
      '2025-12-01T10:01:00+03:00',
    );
    expect(brief(plan)).toEqual([
      ['triage', '2025-11-28T15:30:00+03:00', 'overdue'],
      ['draft', '2025-12-01T09:00:00+03:00', 'overdue'],
      ['answer', '2025-12-01T10:00:00+03:00', 'overdue'],
    ]);
  });

  it('names the field of a timeline instant without an offset', () => {
    expect(() =>
      planDeadlines({ importance: 'normal', detectedAt: '2025-12-01T10:00:00' }, resolveProfile('krymsk'), SHIPPED_CALENDAR, '2025-12-01T10:00:00Z'),
    ).toThrow(/detectedAt/);
  });
});

describe('deadlines past the last loaded calendar year (issue 12)', () => {
  it('Крымский on 30.12.2026: terms reaching into 2027 are computed on ст. 112 and marked provisional', () => {
    const plan = planDeadlines(
      { importance: 'normal', detectedAt: '2026-12-30T15:00:00+03:00', handedOverAt: '2026-12-30T15:20:00+03:00' },
      resolveProfile('krymsk'),
      SHIPPED_CALENDAR,
      '2026-12-30T15:20:00+03:00',
    );
    const note = 'срок предварительный: календарь на 2027 год не загружен';
    // Answer 8 wh: 15–18 on Wednesday; 31.12 off by the 2026 decree, 1–8 January (ст. 112), the
    // weekend; 09–13 and 14–15 on Monday 11 January. The draft 4 wh before it: 10:00.
    expect(plan.map((p) => [p.step, p.due, p.provisional?.note ?? null])).toEqual([
      ['triage', '2026-12-30T15:30:00+03:00', null],
      ['draft', '2027-01-11T10:00:00+03:00', note],
      ['answer', '2027-01-11T15:00:00+03:00', note],
    ]);
  });

  it('a term on the plain clock consults no calendar and is never provisional (Батайск, 003 [7])', () => {
    const profile = resolveProfile('bataysk');
    const from = Date.parse('2026-12-31T12:00:00+03:00');
    expect(stepDueDetail(clockFor(profile, SHIPPED_CALENDAR), profile, 'answer', 'normal', from)).toEqual({ dueMs: Date.parse('2027-01-01T12:00:00+03:00'), provisional: null });
    expect(stepDueDetail(clockFor(profile, SHIPPED_CALENDAR), profile, 'draft', 'normal', from).provisional).toBeNull();
  });

  it('Вятские Поляны: 24 h on working days run over the January holidays of the provisional year', () => {
    const profile = resolveProfile('vyatskiye-polyany');
    const due = stepDueDetail(clockFor(profile, SHIPPED_CALENDAR), profile, 'answer', 'normal', Date.parse('2026-12-30T10:00:00+03:00'));
    // 14 h on Wednesday 30.12; nothing until Monday 11.01.2027; then 10 h.
    expect(due).toEqual({ dueMs: Date.parse('2027-01-11T10:00:00+03:00'), provisional: { years: [2027], note: 'срок предварительный: календарь на 2027 год не загружен' } });
  });
});
