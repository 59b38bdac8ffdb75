import { describe, expect, it } from '@jest/globals';
import PQueue from 'p-queue';
import { franc } from 'franc';

// The project is ESM so that ESM-only packages load both here and under pm2.
describe('ESM-only dependencies', () => {
  it('p-queue runs tasks in order with its concurrency limit', async () => {
    const queue = new PQueue({ concurrency: 1 });
    const seen: number[] = [];
    await Promise.all([3, 1, 2].map((n) => queue.add(async () => { seen.push(n); })));
    expect(seen).toEqual([3, 1, 2]);
  });

  it('franc recognises Russian among the languages we whitelist', () => {
    const text = 'Здравствуйте! Во дворе дома на улице Ленина уже неделю нет горячей воды, когда починят?';
    expect(franc(text, { only: ['rus', 'ukr', 'bel', 'eng'] })).toBe('rus');
  });
});
