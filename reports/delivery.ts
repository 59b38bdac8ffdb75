import path from 'node:path';
import { DateTime } from 'luxon';
import type { Store } from '../store/port.js';
import { loadMonthlyReport, writeReport } from './monthly.js';
import { previousMonth } from './monthly-figures.js';

/**
 * The monthly report left for the head (003 [13]: «докладывается … ежемесячно»): made for
 * the previous month once the tenant's month has begun, written under the reports folder
 * (PDF and the same as HTML), and announced by a notice to the head with the file's path;
 * the staff bot sends it. Recorded once per tenant and month, so a restarted worker or a
 * second one catches up a missed 1st without making the report twice.
 */

export const DEFAULT_REPORTS_DIR = './reports-out';
/** Made from this local hour of the 1st: the night's last answers are in, the head's day has not begun. */
export const MONTHLY_REPORT_HOUR = 6;

export function reportsDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env.OTKLIK_REPORTS_DIR?.trim() || DEFAULT_REPORTS_DIR);
}

export function monthlyReportFiles(dir: string, tenant: string, month: string): { pdf: string; html: string } {
  const base = path.join(dir, tenant, `otklik-${tenant}-${month}`);
  return { pdf: `${base}.pdf`, html: `${base}.html` };
}

/** The month to report now in the tenant's zone, or null before the hour on the 1st. */
export function monthDue(now: Date, timeZone: string): string | null {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (local.day === 1 && local.hour < MONTHLY_REPORT_HOUR) return null;
  return previousMonth(now, timeZone);
}

export interface DeliveredReport {
  readonly tenant: string;
  readonly month: string;
  readonly pdf: string;
  readonly html: string;
}

export async function deliverMonthlyReport(store: Store, tenant: string, timeZone: string, dir: string, now: Date): Promise<DeliveredReport | null> {
  const month = monthDue(now, timeZone);
  if (!month) return null;
  const key = `monthly:${month}`;
  if (await store.reports.has(tenant, key)) return null;
  const report = await loadMonthlyReport(store, tenant, month, now);
  const files = monthlyReportFiles(dir, tenant, month);
  // The files first (rewriting them is harmless), then the record that decides who announces.
  await writeReport(report, files.pdf);
  await writeReport(report, files.html);
  if (!(await store.reports.recordOnce(tenant, key, 'monthly-report', { ...files, total: report.figures.total }, now))) return null;
  try {
    await store.notices.once(`monthly-report:${tenant}:${month}`, {
      tenant, incidentNumber: null, to: { role: 'head' }, kind: 'monthly-report', attachment: files.pdf, createdAt: now,
      text: `Ежемесячный анализ сообщений граждан в социальных сетях за ${report.periodLabel}: поступило ${report.figures.total}, дан ответ на ${report.figures.answered}, нарушено сроков — ${report.figures.deadlinesByDepartment.reduce((s, t) => s + t.missed, 0)}. Файл: ${files.pdf}`,
    });
  } catch (error) {
    await store.reports.forget(tenant, key);
    throw error;
  }
  return { tenant, month, ...files };
}
