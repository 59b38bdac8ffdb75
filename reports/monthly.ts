import fs from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../store/port.js';
import { renderHtml } from './html.js';
import { buildMonthlyReport, monthPeriod, type MonthlyReport } from './monthly-figures.js';
import { renderPdf } from './pdf.js';

const TOP_PROBLEMS = 10;
const TOP_REPEATED = 10;

/**
 * Reads the month's figures from the store and shapes them into the report (003 [13]).
 * `now` decides which terms of the month have run out: on the 1st of the next month
 * every term of the month has.
 */
export async function loadMonthlyReport(store: Store, tenant: string, month: string, now: Date): Promise<MonthlyReport> {
  const directory = await store.tenants.directory(tenant);
  const period = monthPeriod(month, directory.timeZone);
  const [counts, deadlines, answers, rejections, problems, repeats] = await Promise.all([
    store.reports.counts(tenant, period),
    store.reports.deadlines(tenant, period),
    store.reports.answers(tenant, period),
    store.reports.rejections(tenant, period),
    store.reports.problems(tenant, period, TOP_PROBLEMS),
    store.reports.repeats(tenant, period, TOP_REPEATED),
  ]);
  const repeatSubjects = await store.reports.subjects(tenant, repeats.map((r) => r.repeatOf));
  return buildMonthlyReport({ tenant, month, directory, counts, deadlines, answers, rejections, problems, repeats, repeatSubjects, asOf: now }, now);
}

export type ReportFormat = 'pdf' | 'html';

export function formatOf(file: string): ReportFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.pdf') return 'pdf';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new RangeError(`Формат отчёта определяется по расширению файла: .pdf или .html (получено «${file}»)`);
}

export async function renderReport(report: MonthlyReport, format: ReportFormat): Promise<Buffer> {
  return format === 'pdf' ? renderPdf(report) : Buffer.from(renderHtml(report), 'utf8');
}

/** Writes the report atomically (a temporary file renamed), so a reader never sees half a PDF. */
export async function writeReport(report: MonthlyReport, file: string): Promise<void> {
  const content = await renderReport(report, formatOf(file));
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, content);
  await fs.rename(temporary, file);
}
