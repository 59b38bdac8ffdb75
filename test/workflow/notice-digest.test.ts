import { describe, expect, it } from '@jest/globals';
import type { Notice } from '../../workflow/incident-machine.js';
import { digestNewIncidents, listNumbers, NEW_INCIDENT_CARDS_AT_MOST } from '../../workflow/notice-digest.js';

const fresh = (number: number, high = false) => ({
  number, high,
  notice: { to: { role: 'curator' }, kind: 'new-incident', text: `Новое обращение № ${number}${high ? ' (предположительно повышенной важности)' : ''}` } as Notice,
});

describe('new-incident notices of a classifier batch', () => {
  it('a few new incidents still reach the curator as a card each', () => {
    const few = Array.from({ length: NEW_INCIDENT_CARDS_AT_MOST }, (_, i) => fresh(10 + i));
    expect(digestNewIncidents(few)).toEqual({ single: few, digest: null });
  });

  it('many become one message with the numbers as ranges and the likely urgent ones named; other notices stay as they are', () => {
    const interim = { number: 14, notice: { to: { role: 'curator' }, kind: 'interim-required', text: 'Обращение № 14 поступило перед выходным' } as Notice };
    const batch = [fresh(14), interim, fresh(12, true), fresh(13), fresh(20), fresh(15), fresh(22, true)];
    const { single, digest } = digestNewIncidents(batch);
    expect(single).toEqual([interim]);
    expect(digest?.numbers).toEqual([12, 13, 14, 15, 20, 22]);
    expect(digest?.notice.text.split('\n')).toEqual([
      'Новые обращения: 6 (№ 12–15, № 20, № 22).',
      'Предположительно повышенной важности: № 12, № 22.',
      'Карточка обращения — /card N; все новые — в рабочем месте в браузере (/login).',
    ]);
  });

  it('lists two neighbours as two numbers, not as a range', () => {
    expect(listNumbers([1, 2, 5, 6, 7])).toBe('№ 1, № 2, № 5–7');
  });
});
