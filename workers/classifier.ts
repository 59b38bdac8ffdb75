import type { ClassifyPayload } from '../store/messages.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { ClassificationCache, classifyBatch } from './classification.js';
import type { WorkerDefinition } from './harness.js';
import { every, runJobs } from './jobs.js';
import { done, runProcessor, type Outcome } from './processor.js';

/**
 * Claims queued message batches with a lease, classifies them, and makes their incidents
 * (or rejections with reason and evidence) in bulk. Several instances may run: each item
 * is held by one at a time, and an item whose holder died is taken again when its lease
 * ends. Retraining from the curators' corrections is a recurring job (workers/jobs.ts).
 */
const LEASE_MS = 60_000;
/** Items per claim: each is one fetched batch (up to 100 messages from VK, fewer from the others). */
const ITEMS_PER_CLAIM = 8;
const MAX_ATTEMPTS = 8;
/** Curators' corrections teach the classifier (issue 5): retrained this often, and on demand with `otklik classifier retrain`. */
const RETRAIN_EVERY_MS = 6 * 3600 * 1000;

export const worker: WorkerDefinition = {
  role: 'classifier',
  serves: 'new messages of every tenant',
  async main({ store, log, signal, sleep, workerId }) {
    const runtimes = new TenantRuntimeCache(store);
    const classifications = new ClassificationCache(store);
    const context = { store, log, signal, sleep, owner: workerId };
    const retraining = runJobs(context, [{
      name: 'retrain',
      next: every(RETRAIN_EVERY_MS),
      async run(now) {
        for (const tenant of await store.tenants.list()) {
          try {
            const result = await store.classifier.retrain(tenant.name, now);
            log.info({ tenant: tenant.name, accepted: result.accepted, version: result.model.version }, `classifier retrained for ${tenant.name}: ${result.accepted ? 'new model in use' : 'previous model kept'}`);
          } catch (error) {
            log.warn({ err: error, tenant: tenant.name }, 'retraining failed; the current model stays');
          }
        }
      },
    }]);
    const classifying = runProcessor<ClassifyPayload>(context, {
      kind: 'classify',
      batchSize: ITEMS_PER_CLAIM,
      // Two batches in flight: one classifies while the other waits on the store.
      slots: 2,
      leaseMs: LEASE_MS,
      maxAttempts: MAX_ATTEMPTS,
      // A new batch waits at most this long for a claim when the queue was empty: the
      // fetched → incident time (p99 < 200 ms at 100 messages/s) is mostly this wait, and an
      // empty claim of the small queue costs the store next to nothing.
      idleMaxMs: 100,
      async handle(items) {
        const run = async (batch: typeof items): Promise<readonly Outcome[]> => {
          const started = performance.now();
          const report = await classifyBatch(store, runtimes, classifications, batch, new Date());
          const made = report.results.filter((r) => r.outcome !== 'already-classified');
          if (made.length > 0) {
            const rejected = made.filter((r) => r.outcome === 'rejected').length;
            const ms = Math.round(performance.now() - started);
            log.info({ incidents: made.length - rejected, rejected, ms, first: made[0]!.incident.number, last: made.at(-1)!.incident.number }, `classified ${made.length} message(s) in ${ms} ms: ${made.length - rejected} incident(s), ${rejected} rejected`);
          }
          return report.outcomes;
        };
        try {
          return await run(items);
        } catch (error) {
          if (items.length === 1 && (items[0]!.item.payload?.messages?.length ?? 0) <= 1) throw error;
          // One message that cannot be classified must not hold back the others: each item
          // alone, and an item that still fails is split into one item per message, so only
          // the poison message ends among the dead letters.
          log.warn({ err: error, items: items.length }, 'batch failed: classifying its items one by one');
          const outcomes: Outcome[] = [];
          for (const item of items) {
            try {
              outcomes.push(...(await run([item])));
            } catch (itemError) {
              const ids = item.item.payload?.messages ?? [];
              if (ids.length <= 1) {
                outcomes.push({ kind: 'retry', error: itemError instanceof Error ? itemError.message : String(itemError) });
                continue;
              }
              await store.work.enqueue<ClassifyPayload>('classify', ids.map((id) => ({ tenant: item.item.tenant, ref: `single:${id}`, payload: { messages: [id] } })), new Date());
              outcomes.push(done);
            }
          }
          return outcomes;
        }
      },
    });
    await Promise.all([classifying, retraining]);
  },
};
