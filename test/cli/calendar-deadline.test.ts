// The admin commands as an admin runs them: the real launcher, stdin/stdout JSON lines,
// and the real embedded store (a fresh database for this file).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCalendarYears, saveCalendarYear } from '../../store/calendar-years.js';
import type { Store } from '../../store/connection.js';
import { tenantModel } from '../../store/models/tenant.js';
import { SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import { dropTestStore, openTestStore, testStoreUri } from '../support/store.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let store: Store;
let dir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function otklik(args: string[], input = '', offline = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: store.dbName, LOG_LEVEL: 'silent' };
    const child = spawn(process.execPath, [path.join(root, 'bin/otklik'), ...args, ...(offline ? ['--offline'] : [])], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lines = (text: string): unknown[] => text.trim().split('\n').map((l) => JSON.parse(l) as unknown);

const YEAR_2027 = `<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2027" lang="ru" country="ru">
  <days>
    <day d="01.01" t="1"/>
    <day d="01.07" t="2"/>
    <day d="01.08" t="1"/>
    <day d="02.20" t="3"/>
  </days>
</calendar>
`;

beforeAll(async () => {
  store = await openTestStore('cli_calendar');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-cal-'));
});

afterAll(async () => {
  await dropTestStore(store);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('otklik calendar days', () => {
  it('writes one line per date of 2026 with its kind', async () => {
    const run = await otklik(['calendar', 'days', '2026'], '', true);
    expect(run.code).toBe(0);
    const days = lines(run.stdout) as Array<{ date: string; kind: string }>;
    expect(days).toHaveLength(365);
    expect(days).toContainEqual({ date: '2026-03-09', kind: 'dayoff' });
    expect(days.filter((d) => d.kind === 'working')).toHaveLength(243);
    expect(days.filter((d) => d.kind === 'shortened').map((d) => d.date)).toEqual(['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03']);
  });

  it('says which years it knows when asked for one it does not', async () => {
    const run = await otklik(['calendar', 'days', '2031'], '', true);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('year: the production calendar has no data for 2031 (known: 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026)');
    expect(run.stdout).toBe('');
  });
});

describe('otklik calendar import', () => {
  it('rejects a malformed file with the line and the reason, storing nothing', async () => {
    const file = path.join(dir, 'bad-2027.xml');
    fs.writeFileSync(file, YEAR_2027.replace('t="3"', 't="4"').replace('d="01.07"', 'd="01.32"'));
    const run = await otklik(['calendar', 'import', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:5: d="01.32" is not a date in 2027`);
    expect(run.stderr).toContain(`${file}:7: t="4" is not 1 (day off), 2 (shortened) or 3 (working weekend day)`);
    expect(await loadCalendarYears(store)).toEqual([]);
  });

  it('stores a well-formed year, which days and deadlines then use', async () => {
    const file = path.join(dir, '2027.xml');
    fs.writeFileSync(file, YEAR_2027);
    const first = await otklik(['calendar', 'import', file]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('2027: stored — 2 days off, 1 shortened, 1 working weekend days listed');
    const again = await otklik(['calendar', 'import', file]);
    expect(again.stdout).toContain('2027: replaced the stored year');

    const days = lines((await otklik(['calendar', 'days', '2027'])).stdout);
    expect(days).toHaveLength(365);
    expect(days).toContainEqual({ date: '2027-02-20', kind: 'working' });

    // 1 h on 30.12.2026, 31.12 off, 01.01.2027 off, the weekend, then 04.01 09–13 and 14–17.
    const line = JSON.stringify({ profile: 'krymsk', step: 'answer', from: '2026-12-30T17:00:00+03:00' });
    expect(lines((await otklik(['deadline'], `${line}\n`)).stdout)).toEqual([{ due: '2027-01-04T17:00:00+03:00' }]);
    // Offline, without the imported year: the Labour Code's holidays (1–8 January), marked provisional.
    expect(lines((await otklik(['deadline'], `${line}\n`, true)).stdout)).toEqual([
      { due: '2027-01-11T17:00:00+03:00', provisional: { years: [2027], note: 'срок предварительный: календарь на 2027 год не загружен' } },
    ]);
  });
});

describe('otklik deadline', () => {
  it('answers each line in order, errors naming the field', async () => {
    const input = [
      '{"profile":"krymsk","step":"answer","importance":"normal","from":"2025-11-28T15:00:00+03:00"}',
      '{"profile":"okha","step":"triage","from":"2025-11-28T15:00:00+03:00"}',
      '',
      '{"profile":"krymsk","step":"answer","importance":"hi","from":"2025-11-28T15:00:00+03:00"}',
      '{"profile":"krymsk"',
    ].join('\n');
    const run = await otklik(['deadline'], input, true);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([
      { due: '2025-12-01T15:00:00+03:00' },
      { due: '2025-12-01T12:00:00+11:00' },
      { error: expect.stringMatching(/^importance: /) },
      { error: 'line 5: not a JSON object' },
    ]);
  });

  it('uses a stored tenant\'s overrides, office hours and time zone', async () => {
    const name = `t${randomBytes(3).toString('hex')}`;
    const day = [{ from: '08:00', to: '17:00' }];
    await tenantModel(store.connection).create({
      name,
      title: 'Тестовый муниципалитет',
      timeZone: 'Asia/Sakhalin',
      regulationProfile: { id: 'okha', overrides: { steps: { triage: { normal: { term: { kind: 'working-hours', minutes: 60 }, from: 'posted' } } } } },
      officeHours: { week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] }, shortened: { endEarlierMinutes: 60 } },
    });
    const input = [
      JSON.stringify({ tenant: name, step: 'triage', from: '2025-12-01T16:30:00+11:00' }),
      JSON.stringify({ tenant: name, step: 'explanation', from: '2025-12-01T08:00:00+11:00' }),
      JSON.stringify({ tenant: 'nobody', step: 'triage', from: '2025-12-01T16:30:00+11:00' }),
    ].join('\n');
    const run = await otklik(['deadline'], input);
    expect(run.stderr).toBe('');
    expect(lines(run.stdout)).toEqual([
      { due: '2025-12-02T08:30:00+11:00' }, // 1 h: 30 min to 17:00, 30 min from 08:00
      { due: '2025-12-02T11:00:00+11:00' }, // 12 h of 08–17: 9 Monday, 3 Tuesday
      { error: 'tenant: unknown tenant "nobody"' },
    ]);
  });
});

describe('stored calendar years', () => {
  it('keep every day, its reason and the decree it came from', async () => {
    const y2020 = SHIPPED_CALENDAR.yearData(2020);
    await saveCalendarYear(store, y2020);
    const loaded = (await loadCalendarYears(store)).find((y) => y.year === 2020);
    expect(loaded).toEqual(y2020);
  });
});
