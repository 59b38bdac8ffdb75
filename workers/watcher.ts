import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { watchDeadlines } from './deadline-watch.js';
import { runWorker } from './harness.js';
import { every, runJobs } from './jobs.js';

/**
 * The deadline watcher: on a timer, marks what is due soon and what is overdue, escalates
 * once per threshold (the person, then the curator, then the head), records each missed
 * term for the monthly report, and queues publishing again for an approved answer that
 * lost its item in a crash (workers/deadline-watch.ts). Two instances may run: the tick is
 * a recurring job held under a lease, and every write is conditional besides.
 */
// Half a minute keeps a notice within 30 s of its threshold (the shortest term is 30
// minutes, the due-soon window 20) for the cost of one scan of the open incidents per tick.
export const TICK_MS = 30 * 1000;

await runWorker({
  role: 'watcher',
  serves: 'deadlines of every tenant',
  async main({ store, log, signal, sleep, workerId }) {
    const runtimes = new TenantRuntimeCache(store);
    await runJobs({ store, log, signal, sleep, owner: workerId }, [{
      name: 'deadlines',
      next: every(TICK_MS),
      async run(now) {
        const report = await watchDeadlines(store, runtimes, now);
        if (report.escalated > 0 || report.violations > 0 || report.requeued > 0 || report.repaired > 0) {
          log.info({ ...report, errors: report.errors.length }, `deadlines: ${report.escalated} threshold(s) escalated, ${report.violations} violation(s) recorded, ${report.requeued} publish item(s) queued again`);
        }
        for (const e of report.errors) log.error(e, `incident ${e.tenant}/${e.number}: cannot watch its deadlines`);
      },
    }], 5 * 60 * 1000);
  },
});
