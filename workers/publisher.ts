import type { PublishPayload } from '../store/publication.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { PublishingConnectors } from './accounts.js';
import type { WorkerDefinition } from './harness.js';
import { runProcessor } from './processor.js';
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
// Four answers in flight keep every network busy (VK 20/s, Telegram 30/s overall but 1/s
// per chat, OK 3/s) without holding many items under one process's leases: each slot
// claims one answer, and while one waits on a network (its throttle, a slow answer) the
// others go on. The clients' throttles are shared by the slots (one connector per account).
const SLOTS = 4;
const MAX_ATTEMPTS = 12;

export const worker: WorkerDefinition = {
  role: 'publisher',
  serves: 'approved answers of every tenant',
  async main({ store, log, signal, sleep, workerId }) {
    const deps = { store, runtimes: new TenantRuntimeCache(store), connectors: new PublishingConnectors(store, store.publication.attemptLog) };
    await runProcessor<PublishPayload>({ store, log, signal, sleep, owner: workerId }, {
      kind: 'publish',
      batchSize: 1,
      slots: SLOTS,
      leaseMs: LEASE_MS,
      maxAttempts: MAX_ATTEMPTS,
      async handle([held]) {
        const report = await publishWorkItem(deps, held!, new Date());
        const line = { tenant: held!.item.tenant, ref: held!.item.ref, outcome: report.outcome, number: report.number, detail: report.detail };
        if (report.outcome === 'config' || report.outcome === 'uncertain') log.error(line, `publish ${held!.item.ref}: ${report.outcome}`);
        else if (report.outcome === 'retry' || report.outcome === 'rate-limited') log.warn(line, `publish ${held!.item.ref}: ${report.outcome}`);
        else log.info(line, `publish ${held!.item.ref}: ${report.outcome}`);
        return [report.settle];
      },
    });
  },
};
