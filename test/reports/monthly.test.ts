import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import type { Store, StoredIncident } from '../../store/port.js';
import { renderHtml } from '../../reports/html.js';
import { loadMonthlyReport, writeReport } from '../../reports/monthly.js';
import { deadlineOutcome, monthPeriod, NETWORK_LABELS, type DeadlineTally, type MonthlyReport } from '../../reports/monthly-figures.js';
import { renderPdf } from '../../reports/pdf.js';
import { generateMonth, importExampleTenant, TENANT } from '../support/report-data.js';
import { dropTestStore, openTestStore } from '../support/store.js';

/**
 * The monthly report (003 [13]) for a month of generated work: every figure recomputed
 * here in plain JavaScript from the incidents as stored, and the PDF and HTML checked for
 * what a head reads (title, period, Cyrillic text, tables, charts). The pages are looked
 * at as PNGs outside the suite (bench/monthly-report.ts).
 */
describe('monthly report (embedded store)', () => {
  let store: Store;
  let report: MonthlyReport;
  let incidents: StoredIncident[];
  const period = monthPeriod('2026-10', 'Europe/Moscow');
  // The 1st of November, 06:00 Moscow: the worker's run; every October term has run out.
  const now = new Date('2026-11-01T03:00:00Z');

  beforeAll(async () => {
    store = await openTestStore('report');
    await importExampleTenant(store);
    // A few September messages whose terms ran out in October, and the October month itself.
    await generateMonth(store, new Date(period.from.getTime() - 2 * 86_400_000), 2, 8, 7);
    const generated = await generateMonth(store, period.from, 31, 140);
    expect(generated.published).toBeGreaterThan(60);
    // Open and archived alike: the report reads both.
    incidents = [...(await store.incidents.open({ tenant: TENANT })), ...(await store.incidents.recentArchived(TENANT, 10_000))];
    report = await loadMonthlyReport(store, TENANT, '2026-10', now);
  }, 240000);

  afterAll(async () => {
    await dropTestStore(store);
  });

  const inMonth = () => incidents.filter((i) => i.detectedAt >= period.from && i.detectedAt < period.to);
  const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
    return out;
  };

  it('counts messages by network, topic, location, department and day as the store holds them', () => {
    const month = inMonth();
    const accepted = month.filter((i) => i.state !== 'rejected');
    const f = report.figures;
    expect(f.total).toBe(140);
    expect(f.total).toBe(month.length);
    expect(f.rejected).toBe(month.length - accepted.length);
    expect(f.rejected).toBeGreaterThan(0);
    expect(f.byNetwork).toEqual(countBy(month, (i) => NETWORK_LABELS[i.network]!));
    expect(f.byTopic).toEqual(countBy(accepted, (i) => i.topic ?? 'не указано'));
    expect(f.byLocation).toEqual(countBy(accepted, (i) => i.location ?? 'не указано'));
    const names: Record<string, string> = { zhkh: 'Отдел ЖКХ', roads: 'Отдел дорожного хозяйства и транспорта', blago: 'Отдел благоустройства и экологии', social: 'Управление социальной защиты', education: 'Управление образования', gochs: 'Отдел ГО и ЧС' };
    expect(f.byDepartment).toEqual(countBy(accepted.flatMap((i) => i.departments), (d) => names[d]!));
    expect(f.byDay).toEqual(countBy(month, (i) => DateTime.fromJSDate(i.detectedAt, { zone: 'Europe/Moscow' }).toISODate()!));
    expect(f.highImportance).toBe(accepted.filter((i) => i.importance === 'high').length);
    expect(f.repeats).toBe(month.filter((i) => i.repeatOf !== null).length);
    expect(f.repeats).toBeGreaterThan(0);
    expect(f.answered).toBe(month.filter((i) => i.state === 'published').length);
  });

  it('tallies terms met and missed per department, executor and step, terms judged in the month they ran out (000 [17], 003 [12])', () => {
    const due = incidents.flatMap((i) => i.deadlines
      .filter((d) => !d.conditional && d.dueAt >= period.from && d.dueAt < period.to)
      .map((d) => ({ ...d, incident: i })));
    // Terms of September's messages that ran out in October count in October.
    expect(due.some((d) => d.incident.detectedAt < period.from)).toBe(true);
    const sum = (tallies: readonly DeadlineTally[]) => tallies.reduce((s, t) => ({ met: s.met + t.met, missed: s.missed + t.missed, pending: s.pending + t.pending }), { met: 0, missed: 0, pending: 0 });
    const outcomes = countBy(due, (d) => deadlineOutcome(d, now));
    expect(sum(report.figures.deadlinesByStep)).toEqual({ met: outcomes.met ?? 0, missed: outcomes.missed ?? 0, pending: outcomes.pending ?? 0 });
    expect(sum(report.figures.deadlinesByDepartment)).toEqual(sum(report.figures.deadlinesByStep));
    expect(outcomes.met).toBeGreaterThan(0);
    expect(outcomes.missed).toBeGreaterThan(0);

    // Per executor: the terms each named person held, recomputed from `responsible`.
    const byPerson = countBy(due.filter((d) => d.responsible && deadlineOutcome(d, now) === 'missed'), (d) => d.responsible!);
    for (const [code, missed] of Object.entries(byPerson)) {
      const row = report.figures.deadlinesByExecutor.find((t) => t.key === code);
      expect(row?.missed).toBe(missed);
    }
    const kuznetsov = report.figures.deadlinesByExecutor.find((t) => t.key === 'kuznetsov')!;
    expect(kuznetsov.label).toBe('Кузнецов Олег Петрович (Отдел ЖКХ)');
    // Per department: an executor's terms count in the executor's department.
    const zhkhMissed = due.filter((d) => ['kuznetsov', 'orlova'].includes(d.responsible ?? '') && deadlineOutcome(d, now) === 'missed').length;
    expect(report.figures.deadlinesByDepartment.find((t) => t.key === 'zhkh')?.missed).toBe(zhkhMissed);
    // The curator's own terms (routing, review) are the curator's line, not a department's.
    const triageMissed = due.filter((d) => d.step === 'triage' && deadlineOutcome(d, now) === 'missed').length;
    expect(report.figures.deadlinesByStep.find((t) => t.key === 'triage')?.missed).toBe(triageMissed);
  });

  it('gives the answer time distribution, rejections by reason, repeats and the top problems', () => {
    const month = inMonth();
    const answered = month.filter((i) => i.state === 'published');
    const hours = answered.map((i) => (i.history.find((h) => h.to === 'published')!.at.getTime() - i.detectedAt.getTime()) / 3_600_000);
    const buckets = report.figures.answerTime.buckets;
    expect(buckets.reduce((s, b) => s + b.count, 0)).toBe(answered.length);
    expect(buckets.find((b) => b.label === 'до 1 ч')!.count).toBe(hours.filter((h) => h <= 1).length);
    expect(buckets.find((b) => b.label === 'более 3 сут.')!.count).toBe(hours.filter((h) => h > 72).length);
    expect(report.figures.answerTime.within24h).toBe(hours.filter((h) => h <= 24).length);

    const rejected = month.filter((i) => i.state === 'rejected');
    const reasonOf = (i: StoredIncident) => (i.rejection as { label?: string } | null)?.label ?? (i.verdict as { reason: string }).reason;
    expect(report.figures.rejectedByReason).toEqual(countBy(rejected, reasonOf));
    expect(Object.keys(report.figures.rejectedByReason)).toContain('Оскорбительные выражения');

    const accepted = month.filter((i) => i.state !== 'rejected');
    const problems = Object.entries(countBy(accepted, (i) => `${i.topic}|${i.location}`)).sort((a, b) => b[1] - a[1]);
    expect(report.figures.topProblems[0]!.count).toBe(problems[0]![1]);
    expect(report.figures.topProblems).toHaveLength(10);
    const top = report.figures.topProblems[0]!;
    expect(top.numbers).toEqual(accepted.filter((i) => i.topic === top.topic && i.location === top.location).map((i) => i.number).sort((a, b) => a - b));

    const repeated = countBy(month.filter((i) => i.repeatOf !== null), (i) => String(i.repeatOf));
    const first = report.figures.topRepeated[0]!;
    expect(first.count).toBe(Math.max(...Object.values(repeated)));
    expect(first.subject).toMatch(/ — /);
  });

  it('renders the document in Russian: title from the tenant, period, tables and SVG charts (HTML)', () => {
    const html = renderHtml(report);
    expect(report.title).toBe('Администрация городского округа Зареченск');
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Администрация городского округа Зареченск');
    expect(html).toContain('за октябрь 2026 года (с 1 по 31 октября 2026 года)');
    expect(html.match(/<svg /g)).toHaveLength(report.sections.filter((s) => s.chart).length);
    expect(report.sections.filter((s) => s.chart).length).toBeGreaterThanOrEqual(5);
    expect(html.match(/<table/g)!.length).toBeGreaterThanOrEqual(11);
    for (const heading of ['Соблюдение сроков по подразделениям', 'Соблюдение сроков исполнителями', 'Время ответа', 'Отклонённые сообщения', 'Повторные обращения', 'Основные проблемы месяца']) {
      expect(html).toContain(heading);
    }
    // Every figure the summary states is in the page.
    expect(html).toContain(`<td>Поступило сообщений</td><td class="num">140</td>`);
  });

  it('renders a month with no messages as a document that says so, without failing', async () => {
    const empty = await loadMonthlyReport(store, TENANT, '2026-08', now);
    expect(empty.figures.total).toBe(0);
    expect(empty.periodRange).toBe('с 1 по 31 августа 2026 года');
    const html = renderHtml(empty);
    expect(html).toContain('нет данных за период');
    expect(html).toContain('Отклонённых сообщений в периоде не было.');
    const pdf = await renderPdf(empty);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('renders a PDF with embedded Cyrillic fonts, several A4 pages and the charts drawn', async () => {
    const pdf = await renderPdf(report);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    // The DejaVu fonts are embedded (pdfkit subsets them with a random prefix).
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSerif-Bold/);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSansCondensed/);
    expect(text).toMatch(/\/FontFile2/);
    // The title is in the document info as UTF-16BE with its byte order mark (pdfkit writes non-ASCII that way).
    const title = Buffer.from('\ufeffАнализ сообщений граждан в социальных сетях — октябрь 2026 года', 'utf16le').swap16().toString('latin1');
    expect(text).toContain(`(${title})`);
    const pages = (text.match(/\/Type \/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(pages).toBeLessThanOrEqual(12);
    expect(text).toContain('/MediaBox [0 0 595.28 841.89]');

    const sampleDir = process.env.OTKLIK_REPORT_SAMPLE_DIR;
    if (sampleDir) {
      await writeReport(report, path.join(sampleDir, 'report-2026-10.pdf'));
      await writeReport(report, path.join(sampleDir, 'report-2026-10.html'));
      expect(fs.existsSync(path.join(sampleDir, 'report-2026-10.pdf'))).toBe(true);
    }
  });
});
