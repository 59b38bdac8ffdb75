import { alertHighImportance, alertSurges } from '../reports/alerts.js';
import { deliverMonthlyReport, reportsDir } from '../reports/delivery.js';
import type { Store } from '../store/port.js';
import type { Logger } from '../config/logger.js';
import type { WorkerContext, WorkerDefinition } from './harness.js';
import { every, runJobs } from './jobs.js';

/**
 * The reports worker (003 [13]): the monthly report for the head on the 1st, and the
 * immediate alerts — high importance and surges of activity — checked on a timer. Both
 * are recorded once in the store, so several of these processes may run and a restarted
 * one catches up what it missed without repeating anything.
 */

/** How often the alerts are checked: «незамедлительно» within minutes, without scanning the store constantly. */
export const ALERT_CHECK_SEC = 120;
/** Hourly: each tenant's own zone decides whether its month is due (from 06:00 on the 1st). */
export const MONTHLY_CHECK_MS = 60 * 60 * 1000;

export async function checkAlertsOnce(store: Store, log: Logger, now: Date): Promise<number> {
  let sent = 0;
  for (const tenant of await store.tenants.list()) {
    try {
      const alerts = [...(await alertHighImportance(store, tenant.name, now)), ...(await alertSurges(store, tenant.name, tenant.timeZone, now))];
      for (const a of alerts) log.info({ tenant: tenant.name, key: a.key }, `alert sent: ${a.text}`);
      sent += alerts.length;
    } catch (error) {
      log.error({ err: error, tenant: tenant.name }, 'alert check failed; the next check retries');
    }
  }
  return sent;
}

export async function deliverMonthlyOnce(store: Store, log: Logger, dir: string, now: Date): Promise<number> {
  let delivered = 0;
  for (const tenant of await store.tenants.list()) {
    try {
      const report = await deliverMonthlyReport(store, tenant.name, tenant.timeZone, dir, now);
      if (report) {
        delivered++;
        log.info(report, `monthly report for ${tenant.name} ${report.month} left for the head: ${report.pdf}`);
      }
    } catch (error) {
      log.error({ err: error, tenant: tenant.name }, 'monthly report failed; the next hourly run retries');
    }
  }
  return delivered;
}

async function main({ store, log, signal, sleep, workerId }: WorkerContext): Promise<void> {
  const dir = reportsDir();
  log.info({ reportsDir: dir, alertCheckSec: ALERT_CHECK_SEC }, 'reports: monthly report on the 1st, alerts every check');
  // Both are recurring jobs: a worker started after the 1st (or restarted) catches the month
  // up at once, and two of these processes never make the same report or alert twice.
  await runJobs({ store, log, signal, sleep, owner: workerId }, [
    { name: 'monthly-report', next: every(MONTHLY_CHECK_MS), run: async (now) => void (await deliverMonthlyOnce(store, log, dir, now)) },
    { name: 'alerts', next: every(ALERT_CHECK_SEC * 1000), run: async (now) => void (await checkAlertsOnce(store, log, now)) },
  ]);
}

export const worker: WorkerDefinition = { role: 'reports', serves: 'monthly report and immediate alerts (003 [13])', main };
