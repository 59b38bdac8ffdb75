import { SHIPPED_CALENDAR } from '../workflow/calendar.js';
import { calendarCoverage } from '../workflow/calendar-coverage.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import type { Store } from '../store/port.js';
import type { Logger } from '../config/logger.js';
import { newWatchProgress, watchDeadlines } from './deadline-watch.js';
import type { WorkerDefinition } from './harness.js';
import { every, runJobs } from './jobs.js';
import { personalDataRetentionJob } from './personal-data-retention.js';

/**
 * The deadline watcher: on a timer, marks what is due soon and what is overdue, escalates
 * once per threshold (the person, then the curator, then the head), records each missed
 * term for the monthly report, and queues publishing again for an approved answer that
 * lost its item in a crash (workers/deadline-watch.ts). Two instances may run: the tick is
 * a recurring job held under a lease, and every write is conditional besides.
 */
// Half a minute keeps a notice within 30 s of its threshold (the shortest term is 30
// minutes, the due-soon window 20); a tick reads by key what is due (workers/deadline-watch.ts).
export const TICK_MS = 30 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Issue 12: admins hear 60 days ahead that the loaded production calendar runs out (and,
 * once it has, that terms are provisional): in the log every day, and through the staff bot
 * once a week per tenant, until the next year is imported.
 */
export async function warnOfCalendar(store: Store, log: Logger, now: Date): Promise<number> {
  const calendar = SHIPPED_CALENDAR.with(await store.calendar.years());
  let sent = 0;
  for (const tenant of await store.tenants.list()) {
    const coverage = calendarCoverage(now, calendar, tenant.timeZone);
    if (!coverage.warn || !coverage.warning) continue;
    log.warn({ tenant: tenant.name, lastKnownYear: coverage.lastKnownYear, daysLeft: coverage.daysLeft, importCommand: coverage.importCommand }, coverage.warning);
    const week = Math.floor(now.getTime() / (7 * DAY_MS));
    for (const role of ['admin', 'curator'] as const) {
      if (await store.notices.once(`calendar:${tenant.name}:${coverage.nextYear}:${week}:${role}`, { tenant: tenant.name, incidentNumber: null, to: { role }, kind: 'calendar', text: coverage.warning, createdAt: now })) sent += 1;
    }
  }
  return sent;
}

export const worker: WorkerDefinition = {
  role: 'watcher',
  serves: 'deadlines of every tenant',
  async main({ store, log, signal, sleep, workerId }) {
    const runtimes = new TenantRuntimeCache(store);
    // What a crash left half-done, found once at start (each tick then finishes the cheap part).
    const checked = await store.maintenance.check();
    if (checked.archived + checked.duplicatesRemoved > 0 || checked.problems.length > 0) log.warn({ ...checked }, 'consistency check at start: finished what a crash left');
    // Kept for this process's life: its first tick sweeps and files every open incident, the
    // ticks after read what is due by key.
    const progress = newWatchProgress();
    await runJobs({ store, log, signal, sleep, owner: workerId }, [{
      name: 'deadlines',
      next: every(TICK_MS),
      async run(now) {
        const report = await watchDeadlines(store, runtimes, now, progress);
        if (report.escalated > 0 || report.violations > 0 || report.requeued > 0 || report.repaired > 0) {
          log.info({ ...report, errors: report.errors.length }, `deadlines: ${report.escalated} threshold(s) escalated, ${report.violations} violation(s) recorded, ${report.requeued} publish item(s) queued again`);
        }
        for (const e of report.errors) log.error(e, `incident ${e.tenant}/${e.number}: cannot watch its deadlines`);
      },
    }, {
      name: 'calendar-coverage',
      next: every(DAY_MS),
      run: async (now) => void (await warnOfCalendar(store, log, now)),
    }, personalDataRetentionJob(store, log)], 5 * 60 * 1000);
  },
};
