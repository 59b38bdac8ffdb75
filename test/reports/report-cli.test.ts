// `otklik report monthly` as an admin runs it: the real launcher against the embedded store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../store/connection.js';
import { monthPeriod } from '../../reports/monthly-figures.js';
import { generateMonth, importExampleTenant } from '../support/report-data.js';
import { runOtklik } from '../support/cli.js';
import { dropTestStore, openTestStore } from '../support/store.js';


describe('otklik report monthly (CLI, embedded store)', () => {
  let store: Store;
  let dir: string;

  function otklik(args: string[]) {
    return runOtklik(store.dbName, args);
  }

  beforeAll(async () => {
    store = await openTestStore('report_cli');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-report-'));
    await importExampleTenant(store);
    await generateMonth(store, monthPeriod('2026-10', 'Europe/Moscow').from, 31, 30, 99);
  }, 120000);

  afterAll(async () => {
    await dropTestStore(store);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the PDF and the HTML for the month, the format by the extension', async () => {
    const pdf = path.join(dir, 'report.pdf');
    const run = await otklik(['report', 'monthly', '--tenant', 'zarechensk', '--month', '2026-10', '--out', pdf]);
    expect(run.stderr).toContain('Администрация городского округа Зареченск: отчёт за октябрь 2026 года записан');
    expect(run.stderr).toContain('сообщений: 30');
    expect(run.code).toBe(0);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    // The only tenant in the store may be left out.
    const html = path.join(dir, 'report.html');
    expect((await otklik(['report', 'monthly', '--month', '2026-10', '--out', html])).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toContain('за октябрь 2026 года');
  }, 60000);

  it('refuses a malformed month, an unknown extension and an unknown tenant with a message in Russian', async () => {
    const badMonth = await otklik(['report', 'monthly', '--month', '2026-13', '--out', path.join(dir, 'x.pdf')]);
    expect(badMonth.code).toBe(2);
    expect(badMonth.stderr).toContain('Месяц указывается как ГГГГ-ММ');
    const badFormat = await otklik(['report', 'monthly', '--month', '2026-10', '--out', path.join(dir, 'x.docx')]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('.pdf или .html');
    const badTenant = await otklik(['report', 'monthly', '--tenant', 'nowhere', '--month', '2026-10', '--out', path.join(dir, 'x.pdf')]);
    expect(badTenant.code).toBe(2);
    expect(badTenant.stderr).toContain('«nowhere» не найден');
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
  }, 60000);
});
