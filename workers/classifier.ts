import { retrainTenant } from '../store/classifier.js';
import { CLASSIFY_WORK } from '../store/messages.js';
import { listTenants } from '../store/tenant-config.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { completeWork, postponeWork, retryWorkLater } from '../store/work-queue.js';
import { ClassificationCache, classifyWorkItem } from './classification.js';
import { runWorker, workClaimer } from './harness.js';

/**
 * Claims queued messages with a lease, classifies each, and makes its incident (or a
 * rejection with reason and evidence). Several instances may run: each item is held
 * by one at a time, and an item whose holder died is taken again when its lease ends.
 */
const LEASE_MS = 60000;
const IDLE_MS = 1000;
/** How soon to look again for a message whose classification was queued just before it was stored. */
const MESSAGE_WAIT_MS = 1000;
/** Curators' corrections teach the classifier (issue 5): retrained this often, and on demand with `otklik classifier retrain`. */
const RETRAIN_EVERY_MS = 6 * 3600 * 1000;

await runWorker({
  role: 'classifier',
  serves: 'new messages of every tenant',
  async main({ store, log, signal, sleep, workerId }) {
    const runtimes = new TenantRuntimeCache(store);
    const classifications = new ClassificationCache(store);
    const next = workClaimer({ store, log, sleep, workerId }, [CLASSIFY_WORK], LEASE_MS, IDLE_MS);
    let retrainedAt = Date.now();
    while (!signal.aborted) {
      if (Date.now() - retrainedAt >= RETRAIN_EVERY_MS) {
        retrainedAt = Date.now();
        for (const tenant of await listTenants(store).catch(() => [])) {
          try {
            const result = await retrainTenant(store, tenant.name, new Date());
            log.info({ tenant: tenant.name, accepted: result.accepted, version: result.model.version }, `classifier retrained for ${tenant.name}: ${result.accepted ? 'new model in use' : 'previous model kept'}`);
          } catch (error) {
            log.warn({ err: error, tenant: tenant.name }, 'retraining failed; the current model stays');
          }
        }
      }
      const work = await next();
      if (!work) continue;
      try {
        const { outcome, incident } = await classifyWorkItem(store, runtimes, classifications, work, new Date());
        if (outcome === 'message-not-yet-stored') {
          await postponeWork(store, work, new Date(Date.now() + MESSAGE_WAIT_MS), 'the message is not stored yet');
          continue;
        }
        await completeWork(store, work);
        if (incident) log.info({ tenant: work.item.tenant, number: incident.number, state: incident.state, outcome }, `message ${work.item.ref}: ${outcome}`);
      } catch (error) {
        const retryAt = new Date(Date.now() + Math.min(600000, 5000 * 2 ** work.item.attempts));
        log.error({ err: error, ref: work.item.ref, attempts: work.item.attempts + 1 }, 'classification failed; will retry');
        await retryWorkLater(store, work, retryAt, error instanceof Error ? error.message : String(error)).catch(() => undefined);
      }
    }
  },
});
