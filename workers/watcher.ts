import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { watchDeadlines } from './deadline-watch.js';
import { runWorker } from './harness.js';

/**
 * The deadline watcher: on a timer, marks what is due soon and what is overdue, escalates
 * once per threshold (the person, then the curator, then the head), records each missed
 * term for the monthly report, and queues publishing again for an approved answer that
 * lost its item in a crash (workers/deadline-watch.ts). Two instances may run: every
 * write is conditional, so nothing is notified twice.
 */
// Half a minute keeps a notice within 30 s of its threshold (the shortest term is 30
// minutes, the due-soon window 20) for the cost of one query per tick.
const TICK_MS = 30 * 1000;

await runWorker({
  role: 'watcher',
  serves: 'deadlines of every tenant',
  async main({ store, log, signal, sleep }) {
    const runtimes = new TenantRuntimeCache(store);
    let failures = 0;
    while (!signal.aborted) {
      try {
        const report = await watchDeadlines(store, runtimes, new Date());
        failures = 0;
        if (report.escalated > 0 || report.violations > 0 || report.requeued > 0) {
          log.info({ ...report, errors: report.errors.length }, `deadlines: ${report.escalated} threshold(s) escalated, ${report.violations} violation(s) recorded, ${report.requeued} publish item(s) queued again`);
        }
        for (const e of report.errors) log.error(e, `incident ${e.tenant}/${e.number}: cannot watch its deadlines`);
        await sleep(TICK_MS);
      } catch (error) {
        // The store is down or restarting: wait and reconnect, never crash-loop.
        failures++;
        const waitMs = Math.min(30000, 500 * 2 ** Math.min(failures, 6)) * (0.5 + Math.random());
        log.warn({ err: error, waitMs }, 'cannot watch deadlines; waiting for the store');
        await sleep(waitMs);
      }
    }
  },
});
