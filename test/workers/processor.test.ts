import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../config/logger.js';
import type { ClaimedWork, Store } from '../../store/port.js';
import { abortableSleep } from '../../workers/harness.js';
import { every, runJobs } from '../../workers/jobs.js';
import { done, runProcessor, type Outcome } from '../../workers/processor.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

const log = createLogger('processor-test', 'silent');

describe('the work processor (embedded store)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('processor');
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  function context(controller: AbortController, owner = 'test') {
    return { store, log, owner, signal: controller.signal, sleep: (ms: number) => abortableSleep(ms, controller.signal) };
  }

  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 400; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${what}: not reached`);
  }

  it('does every item once in batches, retries a failing one with backoff, and buries it after its attempts, telling the admins', async () => {
    await store.work.enqueue('publish', Array.from({ length: 25 }, (_, i) => ({ tenant: 'z', ref: `item-${i}`, payload: { poison: i === 7 } })), new Date());
    const seen = new Map<string, number>();
    const batches: number[] = [];
    const controller = new AbortController();
    const running = runProcessor<{ poison: boolean }>(context(controller), {
      kind: 'publish', batchSize: 10, leaseMs: 30_000, maxAttempts: 3, retryDelayMs: () => 0, idleMaxMs: 50,
      async handle(items: readonly ClaimedWork<{ poison: boolean }>[]): Promise<readonly Outcome[]> {
        batches.push(items.length);
        return items.map((i) => {
          seen.set(i.item.ref, (seen.get(i.item.ref) ?? 0) + 1);
          return i.item.payload.poison ? { kind: 'retry', error: 'RangeError: the answer has no text' } : done;
        });
      },
    });
    await until('the poison item buried', async () => (await store.work.deadLetters('publish')).length === 1);
    controller.abort();
    await running;
    expect(Math.max(...batches)).toBe(10);
    expect([...seen.entries()].filter(([, n]) => n !== 1)).toEqual([['item-7', 3]]);
    expect(seen.size).toBe(25);
    expect(await store.work.pending('publish')).toBe(0);
    expect(await store.work.deadLetters('publish')).toEqual([expect.objectContaining({ ref: 'item-7', attempts: 3, lastError: 'RangeError: the answer has no text' })]);
    const told = await rawDb(store).collection('notices').find({ kind: 'dead-letter' }).toArray();
    expect(told).toEqual([expect.objectContaining({ tenant: 'z', to: { role: 'admin' }, text: expect.stringContaining('otklik work retry publish:z:item-7') })]);
  });

  it('a handler that throws retries its whole batch; a store that cannot be reached is waited for, not crashed on', async () => {
    await store.work.enqueue('notice', [{ tenant: 'z', ref: 'n1' }, { tenant: 'z', ref: 'n2' }], new Date());
    let calls = 0;
    const controller = new AbortController();
    const running = runProcessor(context(controller), {
      kind: 'notice', batchSize: 5, leaseMs: 30_000, maxAttempts: 5, retryDelayMs: () => 0, idleMaxMs: 50,
      async handle(items) {
        calls += 1;
        if (calls === 1) throw new Error('Telegram timed out');
        return items.map(() => done);
      },
    });
    await until('both delivered', async () => (await store.work.pending('notice')) === 0);
    controller.abort();
    await running;
    expect(calls).toBeGreaterThanOrEqual(2);

    // A claim that throws (the store away) makes the loop wait and try again.
    let failures = 0;
    const flaky = { ...store, work: { ...store.work, claim: async () => { failures += 1; if (failures < 3) throw new Error('connection refused'); return []; } } } as unknown as Store;
    const again = new AbortController();
    const loop = runProcessor({ store: flaky, log, owner: 't', signal: again.signal, sleep: (ms: number) => abortableSleep(Math.min(ms, 20), again.signal) }, {
      kind: 'notice', batchSize: 1, leaseMs: 1000, maxAttempts: 1, idleMaxMs: 20, handle: async (items) => items.map(() => done),
    });
    await until('three claims', async () => failures >= 3);
    again.abort();
    await loop;
  });

  it('a recurring job runs on one process at a time, and its next run waits for its time', async () => {
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    const job = { name: 'tick', next: every(60_000), async run() { runs += 1; concurrent += 1; most = Math.max(most, concurrent); await new Promise((r) => setTimeout(r, 100)); concurrent -= 1; } };
    const a = new AbortController();
    const b = new AbortController();
    const both = Promise.all([runJobs(context(a, 'one'), [job]), runJobs(context(b, 'two'), [job])]);
    await until('the job ran', async () => runs >= 1);
    await new Promise((r) => setTimeout(r, 500));
    a.abort();
    b.abort();
    await both;
    // Two processes, one run: the item waits a minute for the next.
    expect(runs).toBe(1);
    expect(most).toBe(1);
    const [item] = await rawDb(store).collection('work.job').find({ ref: 'tick' }).toArray();
    expect((item!.availableAt as Date).getTime()).toBeGreaterThan(Date.now() + 50_000);
  });
});
