// The monthly report for a generated month, written as PDF and HTML and, where poppler's
// pdftoppm is installed, as PNG pages to look at: how the document a head receives reads.
//   node --import tsx bench/report-pages.ts [OUT_DIR]   (default: /tmp/otklik-report-pages)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../store/connection.js';
import { startEmbeddedStore } from '../store/embedded/server.js';
import { loadMonthlyReport, writeReport } from '../reports/monthly.js';
import { monthPeriod } from '../reports/monthly-figures.js';
import { generateMonth, importExampleTenant, TENANT } from '../test/support/report-data.js';

const out = path.resolve(process.argv[2] ?? path.join(os.tmpdir(), 'otklik-report-pages'));
fs.mkdirSync(out, { recursive: true });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-report-bench-'));
const server = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: 256 });
const store = await openStore({ uri: server.uri, dbName: 'report_pages' });
try {
  await importExampleTenant(store);
  const period = monthPeriod('2026-10', 'Europe/Moscow');
  const started = Date.now();
  await generateMonth(store, new Date(period.from.getTime() - 2 * 86_400_000), 2, 8, 7);
  const generated = await generateMonth(store, period.from, 31, 140);
  const generatedMs = Date.now() - started;
  const renderStarted = Date.now();
  const report = await loadMonthlyReport(store, TENANT, '2026-10', new Date('2026-11-01T03:00:00Z'));
  const pdf = path.join(out, 'report-2026-10.pdf');
  await writeReport(report, pdf);
  await writeReport(report, path.join(out, 'report-2026-10.html'));
  const renderMs = Date.now() - renderStarted;
  console.log(`generated ${generated.incidents} incidents (${generated.published} published) in ${generatedMs} ms; figures and PDF+HTML in ${renderMs} ms`);
  console.log(`PDF ${fs.statSync(pdf).size} bytes: ${pdf}`);
  const png = spawnSync('pdftoppm', ['-r', '70', '-png', pdf, path.join(out, 'page')], { encoding: 'utf8' });
  if (png.error) console.log('pdftoppm not installed (apt-get install poppler-utils): no PNG pages');
  else console.log(`pages: ${fs.readdirSync(out).filter((f) => f.endsWith('.png')).sort().join(', ')}`);
} finally {
  await store.close();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
