import cron from 'node-cron';
import { alertHighImportance, alertSurges } from '../reports/alerts.js';
import { deliverMonthlyReport, reportsDir } from '../reports/delivery.js';
import type { Store } from '../store/connection.js';
import { listTenants } from '../store/tenant-config.js';
import type { Logger } from '../config/logger.js';
import { runWorker, type WorkerContext } from './harness.js';

/**
 * The reports worker (003 [13]): the monthly report for the head on the 1st, and the
 * immediate alerts — high importance and surges of activity — checked on a timer. Both
 * are recorded once in the store, so several of these processes may run and a restarted
 * one catches up what it missed without repeating anything.
 */

/** How often the alerts are checked: «незамедлительно» within minutes, without scanning the store constantly. */
export const ALERT_CHECK_SEC = 120;
/** Hourly: node-cron's tick for the monthly report; each tenant's own zone decides whether its month is due. */
export const MONTHLY_CRON = '7 * * * *';

export async function checkAlertsOnce(store: Store, log: Logger, now: Date): Promise<number> {
  let sent = 0;
  for (const tenant of await listTenants(store)) {
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
  for (const tenant of await listTenants(store)) {
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

async function main({ store, log, signal, sleep }: WorkerContext): Promise<void> {
  const dir = reportsDir();
  let monthlyRunning: Promise<unknown> = Promise.resolve();
  const runMonthly = () => {
    // Chained so two runs never overlap; a failed run is logged and never blocks the next.
    monthlyRunning = monthlyRunning
      .then(() => deliverMonthlyOnce(store, log, dir, new Date()))
      .catch((error: unknown) => log.error({ err: error }, 'monthly report run failed; the next hourly run retries'));
    return monthlyRunning;
  };
  const task = cron.schedule(MONTHLY_CRON, () => runMonthly(), { name: 'monthly-report', noOverlap: true });
  log.info({ reportsDir: dir, cron: MONTHLY_CRON, alertCheckSec: ALERT_CHECK_SEC }, 'reports: monthly report on the 1st, alerts every check');
  try {
    // A worker started after the 1st (or restarted) catches up the month at once.
    await runMonthly();
    while (!signal.aborted) {
      await checkAlertsOnce(store, log, new Date());
      await sleep(ALERT_CHECK_SEC * 1000);
    }
  } finally {
    await task.stop();
    await monthlyRunning.catch(() => undefined);
  }
}

await runWorker({ role: 'reports', serves: 'monthly report and immediate alerts (003 [13])', main });
