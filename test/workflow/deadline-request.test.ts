import { describe, expect, it } from '@jest/globals';
import { SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import { answerDeadlineRequest, parseDeadlineRequest, type TenantRegulation } from '../../workflow/deadline-request.js';

function answer(raw: unknown, tenant?: TenantRegulation): unknown {
  const request = parseDeadlineRequest(raw);
  return 'error' in request ? request : answerDeadlineRequest(request, SHIPPED_CALENDAR, tenant);
}

const okhaTenant: TenantRegulation = {
  name: 'okha',
  regulationProfile: { id: 'okha', overrides: { steps: { explanation: { normal: { term: { kind: 'working-hours', minutes: 8 * 60 }, from: 'posted' } } } } },
  officeHours: null,
  timeZone: 'Asia/Sakhalin',
};

describe('one line of otklik deadline', () => {
  it('answers the issue example', () => {
    expect(answer({ profile: 'krymsk', step: 'answer', importance: 'normal', from: '2025-11-28T15:00:00+03:00' })).toEqual({ due: '2025-12-01T15:00:00+03:00' });
  });

  it('takes importance "normal" when the line leaves it out', () => {
    expect(answer({ profile: 'krymsk', step: 'answer', from: '2025-11-28T15:00:00+03:00' })).toEqual({ due: '2025-12-01T15:00:00+03:00' });
  });

  it.each([
    [{ step: 'answer', from: '2025-11-28T15:00:00+03:00' }, /^profile: required/],
    [{ profile: 'krymsk', from: '2025-11-28T15:00:00+03:00' }, /^step: /],
    [{ profile: 'krymsk', step: 'answer', importance: 'urgent', from: '2025-11-28T15:00:00+03:00' }, /^importance: /],
    [{ profile: 'krymsk', step: 'answer', from: 'tomorrow' }, /^from: expected an ISO 8601 instant/],
    [{ profile: 'krymsk', step: 'answer', from: '2025-11-28T15:00:00' }, /^from: expected an ISO 8601 instant with an offset/],
    [{ profile: 'krymsk', step: 'answer', from: '2025-11-28T15:00:00+03:00', form: 1 }, /form/],
    [{ profile: 'sochi', step: 'answer', from: '2025-11-28T15:00:00+03:00' }, /^profile: unknown profile "sochi"/],
    [{ profile: 'krymsk', step: 'explanation', from: '2025-11-28T15:00:00+03:00' }, /^step: step "explanation" has no term in profile "krymsk"/],
    [{ profile: 'krymsk', step: 'answer', from: '2018-12-28T17:00:00+03:00' }, /^from: the production calendar has no data for 2018/],
    [{ tenant: 'nowhere', step: 'answer', from: '2025-11-28T15:00:00+03:00' }, /^tenant: unknown tenant "nowhere"/],
  ])('names the field in the error (%#)', (raw, message) => {
    const result = answer(raw) as { error?: string };
    expect(result.error).toMatch(message);
  });

  it('past the last loaded year answers on the Labour Code\'s holidays and says the due time is provisional', () => {
    // 1 h on Wednesday 30.12.2026; 31.12 off by the 2026 decree; 1–8 January off (ст. 112);
    // the weekend; Monday 11.01.2027 09–13 and 14–17.
    expect(answer({ profile: 'krymsk', step: 'answer', from: '2026-12-30T17:00:00+03:00' })).toEqual({
      due: '2027-01-11T17:00:00+03:00',
      provisional: { years: [2027], note: 'срок предварительный: календарь на 2027 год не загружен' },
    });
    // Within the loaded year nothing is provisional.
    expect(answer({ profile: 'krymsk', step: 'answer', from: '2026-12-29T10:00:00+03:00' })).toEqual({ due: '2026-12-30T10:00:00+03:00' });
  });

  it('uses a stored tenant\'s overrides and time zone', () => {
    const line = { tenant: 'okha', step: 'explanation', from: '2025-12-01T10:00:00+11:00' };
    // 8 working hours instead of 12: 3 before lunch, 4 after, 1 on Tuesday.
    expect(answer(line, okhaTenant)).toEqual({ due: '2025-12-02T10:00:00+11:00' });
    expect(answer({ ...line, timeZone: 'x' }, okhaTenant)).toEqual({ error: expect.stringMatching(/timeZone/) });
    expect(answer({ ...line, profile: 'krymsk' }, okhaTenant)).toEqual({ error: 'profile: tenant "okha" works by "okha", not "krymsk"' });
    // 10:00 in Sakhalin is 02:00 in Moscow: a Moscow tenant counts 8 h from its 09:00 opening.
    expect(answer(line, { ...okhaTenant, timeZone: 'Europe/Moscow' })).toEqual({ due: '2025-12-01T18:00:00+03:00' });
  });

  it('reports a tenant\'s broken overrides by field', () => {
    const broken = { ...okhaTenant, regulationProfile: { id: 'okha', overrides: { steps: { answer: { normal: { term: { kind: 'days' } } } } } } };
    expect(answer({ tenant: 'okha', step: 'answer', from: '2025-12-01T10:00:00+11:00' }, broken)).toEqual({ error: expect.stringMatching(/^overrides\.steps\.answer\.normal/) });
  });
});
