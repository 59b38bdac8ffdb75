import { renewLease } from '../store/leases.js';
import { PUBLISH_WORK } from '../store/publication.js';
import { storePublishAttemptLog } from '../store/publish-attempts.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { retryWorkLater } from '../store/work-queue.js';
import { PublishingConnectors } from './accounts.js';
import { runWorker, workClaimer } from './harness.js';
import { publishWorkItem } from './publication.js';

/**
 * Claims approved answers with a lease and publishes each at most once (workers/publication.ts).
 * Several instances may run: an item is held by one at a time, the lease is renewed while
 * the network call runs, and an item whose holder died is taken again when its lease ends;
 * the networks' idempotency keys and the attempt log make that second run post nothing twice.
 */
// Renewed every third of its length while a call runs, so only a dead process loses it; a
// crashed publisher's item waits at most this long, well inside the 30-minute publish
// term (000 [13], 001 [16]).
const LEASE_MS = 2 * 60 * 1000;
const RENEW_EVERY_MS = LEASE_MS / 3;
const IDLE_MS = 1000;
// Four answers in flight keep every network busy (VK 20/s, Telegram 30/s overall but 1/s
// per chat, OK 3/s) without holding many items under one process's leases.
const SLOTS = 4;
const WORKS = 'workItems';

await runWorker({
  role: 'publisher',
  serves: 'approved answers of every tenant',
  async main({ store, log, signal, sleep, workerId }) {
    const deps = { store, runtimes: new TenantRuntimeCache(store), connectors: new PublishingConnectors(store, storePublishAttemptLog(store)) };
    // Each slot claims and publishes on its own: while one waits on a network (its
    // throttle, a slow answer), the others go on. The clients' throttles are shared by
    // the slots (one connector per account), so the networks' limits still hold.
    const slot = async (): Promise<void> => {
      const next = workClaimer({ store, log, sleep, workerId }, [PUBLISH_WORK], LEASE_MS, IDLE_MS);
      while (!signal.aborted) {
        const work = await next();
        if (!work) continue;
        const held = work;
        let lost = false;
        const renewal = setInterval(() => {
          renewLease(store, WORKS, held.item._id, held.lease, new Date(), LEASE_MS)
            .then((renewed) => {
              if (!renewed && !lost) {
                lost = true;
                log.warn({ ref: held.item.ref }, 'lease lost while publishing; the next holder will find the attempt recorded');
              }
            })
            .catch((error: unknown) => log.warn({ err: error, ref: held.item.ref }, 'could not renew the lease'));
        }, RENEW_EVERY_MS);
        try {
          const report = await publishWorkItem(deps, held, new Date());
          const line = { tenant: held.item.tenant, ref: held.item.ref, ...report };
          if (report.outcome === 'config' || report.outcome === 'uncertain') log.error(line, `publish ${held.item.ref}: ${report.outcome}`);
          else if (report.outcome === 'retry' || report.outcome === 'rate-limited') log.warn(line, `publish ${held.item.ref}: ${report.outcome}`);
          else log.info(line, `publish ${held.item.ref}: ${report.outcome}`);
        } catch (error) {
          // The store failed mid-step: the item comes back; what was posted is found by its key.
          const retryAt = new Date(Date.now() + Math.min(600000, 5000 * 2 ** held.item.attempts));
          log.error({ err: error, ref: held.item.ref, attempts: held.item.attempts + 1 }, 'publishing failed; will retry');
          await retryWorkLater(store, held, retryAt, error instanceof Error ? error.message : String(error)).catch(() => undefined);
        } finally {
          clearInterval(renewal);
        }
      }
    };
    await Promise.all(Array.from({ length: SLOTS }, () => slot()));
  },
});
