import type { ClassifyPayload } from '../../store/messages.js';
import type { Store } from '../../store/port.js';
import { TenantRuntimeCache } from '../../store/tenant-runtime.js';
import { ClassificationCache, classifyBatch, type BatchReport } from '../../workers/classification.js';

/**
 * Classifies every queued batch through the classifier worker's own step, at `now`, as the
 * worker does (claimed at the real time, since ingest queues at the real time). Returns what
 * became of each message.
 */
export async function classifyQueued(store: Store, now: Date): Promise<BatchReport['results']> {
  const runtimes = new TenantRuntimeCache(store);
  const classifications = new ClassificationCache(store);
  const results: Array<BatchReport['results'][number]> = [];
  for (;;) {
    const items = await store.work.claim<ClassifyPayload>('classify', 'test', new Date(Date.now() + 1000), 60000, 10);
    if (items.length === 0) return results;
    const report = await classifyBatch(store, runtimes, classifications, items, now);
    results.push(...report.results);
    await store.work.complete('classify', items);
  }
}
