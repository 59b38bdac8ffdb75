import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { alertHighImportance, alertSurges, findSurges } from '../../reports/alerts.js';
import { deliverMonthlyReport, monthDue, monthlyReportFiles, reportsDir } from '../../reports/delivery.js';
import type { Store, TenantRuntime } from '../../store/port.js';
import { addIncident, importExampleTenant, seededRandom, TENANT } from '../support/report-data.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

/**
 * The reports worker's duties against the embedded store: immediate alerts (003 [13]) as
 * notices for the head and the curator, each once, and the monthly report left for the
 * head once per month.
 */
describe('immediate alerts and the monthly delivery (embedded store)', () => {
  let store: Store;
  let runtime: TenantRuntime;
  let dir: string;
  const HOUR = 3_600_000;
  // Thursday 2026-10-15, 15:00 Moscow.
  const now = new Date('2026-10-15T12:00:00Z');
  const TOPICS = ['ЖКХ', 'дороги', 'благоустройство', 'транспорт', 'образование'];
  const PLACES = ['Заречье', 'Южный', 'Луговое', 'Сосновка', 'ул. Садовая', 'ул. Мира'];

  const notices = async (kind: string) => (await rawDb(store).collection('notices').find({ tenant: TENANT, kind }).toArray()) as unknown as Array<{ to: { role?: string }; text: string; incidentNumber: number | null }>;

  beforeAll(async () => {
    store = await openTestStore('alerts');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-reports-'));
    await importExampleTenant(store);
    runtime = await store.tenants.runtime(TENANT);
    // Four quiet weeks before the check: about six messages a day, in the daytime, on
    // the usual topics and places — never «ул. Ленина».
    const random = seededRandom(15);
    let id = 0;
    for (let day = 29; day >= 1; day--) {
      for (let k = 0; k < 6; k++) {
        const detectedAt = new Date(now.getTime() - day * 24 * HOUR + (-6 + random() * 8) * HOUR);
        await addIncident(store, runtime, { id: String(id++), detectedAt, topic: TOPICS[Math.floor(random() * TOPICS.length)]!, location: PLACES[Math.floor(random() * PLACES.length)]! });
      }
    }
    // The last three hours: the usual trickle.
    await addIncident(store, runtime, { id: 'q1', detectedAt: new Date(now.getTime() - 2 * HOUR), topic: 'дороги', location: 'Южный' });
    await addIncident(store, runtime, { id: 'q2', detectedAt: new Date(now.getTime() - HOUR), topic: 'ЖКХ', location: 'Заречье' });
  }, 240000);

  afterAll(async () => {
    await dropTestStore(store);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts the tenant\'s messages by hour of day in its time zone, from the hourly counters, as JavaScript does from the incidents', async () => {
    const from = new Date(now.getTime() - 30 * 24 * HOUR);
    const docs = await rawDb(store).collection('incidents').find({ tenant: TENANT, detectedAt: { $gte: from, $lt: now } }).toArray();
    const expected = new Array<number>(24).fill(0);
    for (const d of docs) expected[DateTime.fromJSDate(d.detectedAt as Date, { zone: 'Europe/Moscow' }).hour]!++;
    expect(await store.reports.countsByHourOfDay(TENANT, from, now, 'Europe/Moscow')).toEqual(expected);
    expect(expected.filter((c) => c > 0).length).toBeGreaterThan(5);
  });

  it('finds no surge in a quiet window', async () => {
    expect(await findSurges(store, TENANT, 'Europe/Moscow', now)).toEqual([]);
    expect(await alertSurges(store, TENANT, 'Europe/Moscow', now)).toEqual([]);
  });

  it('alerts the head and the curator once to a surge about one street (and its topic), however many checks and workers see it', async () => {
    const numbers: number[] = [];
    for (let k = 0; k < 9; k++) numbers.push(await addIncident(store, runtime, { id: `lenina-${k}`, detectedAt: new Date(now.getTime() - (150 - k * 15) * 60_000), topic: 'ЖКХ', location: 'ул. Ленина' }));
    const findings = await findSurges(store, TENANT, 'Europe/Moscow', now);
    // The street is new, and its topic at ten in three hours (with the usual one) is far above its ~1.2 a day too.
    expect(findings.map((f) => `${f.key}:${f.value}`)).toEqual(['topic:ЖКХ', 'location:ул. Ленина']);
    const street = findings.find((f) => f.key === 'location')!;
    expect(street.assessment.observed).toBe(9);
    expect(street.numbers).toEqual(numbers);
    expect(findings.find((f) => f.key === 'topic')!.assessment.observed).toBe(10);

    // Two workers checking at the same moment: one alert.
    const [a, b] = await Promise.all([alertSurges(store, TENANT, 'Europe/Moscow', now), alertSurges(store, TENANT, 'Europe/Moscow', now)]);
    expect(a.length + b.length).toBe(2);
    expect([...a, ...b].map((x) => x.key).sort()).toEqual(['surge:location:ул. Ленина:2026-10-15', 'surge:topic:ЖКХ:2026-10-15']);
    // The next check, ten minutes later, still sees the surge and says nothing.
    expect(await alertSurges(store, TENANT, 'Europe/Moscow', new Date(now.getTime() + 10 * 60_000))).toEqual([]);

    const sent = (await notices('surge')).filter((n) => n.text.includes('ул. Ленина'));
    expect(sent.map((n) => n.to.role).sort()).toEqual(['curator', 'head']);
    expect(await notices('surge')).toHaveLength(4);
    expect(sent[0]!.text).toMatch(/^Повышенная активность: за последние 3 ч поступило 9 сообщений о месте «ул\. Ленина»/);
    expect(sent[0]!.text).toContain(`Обращения № ${numbers.join(', ')}`);
  });

  it('alerts the head and the curator at once to a high-importance incident the classifier suggests, once', async () => {
    const number = await addIncident(store, runtime, { id: 'flood', detectedAt: new Date(now.getTime() - 5 * 60_000), topic: 'ЧС и безопасность', location: 'Луговое', importance: 'high', network: 'telegram' });
    const first = await alertHighImportance(store, TENANT, now);
    expect(first.map((a) => a.incidentNumber)).toEqual([number]);
    expect(await alertHighImportance(store, TENANT, new Date(now.getTime() + 2 * 60_000))).toEqual([]);
    const sent = (await notices('high-importance-alert')).filter((n) => n.incidentNumber === number);
    expect(sent.map((n) => n.to.role).sort()).toEqual(['curator', 'head']);
    expect(sent[0]!.text).toBe(`Срочно: обращение № ${number} повышенной важности (Telegram) — ЧС и безопасность, Луговое. Состояние: На распределении. Срок ответа сокращён (4 рабочих часа).`);
  });

  it('finds a high-importance incident written before the alerts kept them by key once the start-up check has run, and skips and prunes an entry a crash left without its incident', async () => {
    // As a store written before this version holds it: the incident, and no entry for it.
    const number = await addIncident(store, runtime, { id: 'old-gas', detectedAt: new Date(now.getTime() - 30 * 60_000), topic: 'ЖКХ', location: 'Заречье', importance: 'high' });
    const id = `${TENANT}:${number}`;
    await rawDb(store).collection('highImportance').deleteOne({ _id: id as never });
    // A crash between filing and writing: an entry whose incident never came.
    await rawDb(store).collection('highImportance').insertOne({ _id: `${TENANT}:999999` as never, tenant: TENANT, detectedAt: new Date(now.getTime() - 60_000) });
    // And one older than the alerts look back.
    await rawDb(store).collection('highImportance').insertOne({ _id: `${TENANT}:999998` as never, tenant: TENANT, detectedAt: new Date(now.getTime() - 3 * 24 * HOUR) });
    expect((await alertHighImportance(store, TENANT, now)).map((a) => a.incidentNumber)).not.toContain(number);

    await store.maintenance.check();
    expect((await alertHighImportance(store, TENANT, now)).map((a) => a.incidentNumber)).toEqual([number]);
    const left = (await rawDb(store).collection('highImportance').find({ tenant: TENANT }).toArray()).map((d) => String(d._id));
    expect(left).toContain(`${TENANT}:999999`);
    expect(left).not.toContain(`${TENANT}:999998`);
  });

  it('adds nothing when the workflow already told the head (the curator confirmed high importance while routing)', async () => {
    const number = await addIncident(store, runtime, { id: 'routine', detectedAt: new Date(now.getTime() - 20 * 60_000), topic: 'ЖКХ', location: 'Южный' });
    await store.incidents.apply(runtime, number, { type: 'confirm-and-route', topic: 'ЖКХ', location: 'Южный', importance: 'high', departments: ['zhkh'] }, { kind: 'staff', code: 'petrova', roles: ['curator'] }, new Date(now.getTime() - 10 * 60_000));
    expect((await notices('high-importance')).filter((n) => n.incidentNumber === number).map((n) => n.to.role)).toEqual(['head']);
    expect(await alertHighImportance(store, TENANT, now)).toEqual([]);
    expect((await notices('high-importance-alert')).filter((n) => n.incidentNumber === number)).toEqual([]);
  });

  it('leaves the monthly report for the head once, from 06:00 on the 1st in the tenant\'s zone', async () => {
    expect(reportsDir({}, '/srv/otklik')).toBe('/srv/otklik/reports-out');
    expect(reportsDir({ OTKLIK_REPORTS_DIR: '/var/reports' }, '/srv/otklik')).toBe('/var/reports');
    // 05:30 Moscow on the 1st: not yet; 06:30: October is due.
    expect(monthDue(new Date('2026-11-01T02:30:00Z'), 'Europe/Moscow')).toBeNull();
    expect(monthDue(new Date('2026-11-01T03:30:00Z'), 'Europe/Moscow')).toBe('2026-10');
    expect(await deliverMonthlyReport(store, TENANT, 'Europe/Moscow', dir, new Date('2026-11-01T02:30:00Z'))).toBeNull();

    const at = new Date('2026-11-01T03:30:00Z');
    const delivered = await deliverMonthlyReport(store, TENANT, 'Europe/Moscow', dir, at);
    const files = monthlyReportFiles(dir, TENANT, '2026-10');
    expect(delivered).toEqual({ tenant: TENANT, month: '2026-10', ...files });
    expect(fs.readFileSync(files.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(fs.readFileSync(files.html, 'utf8')).toContain('за октябрь 2026 года');
    expect(await deliverMonthlyReport(store, TENANT, 'Europe/Moscow', dir, new Date(at.getTime() + 3_600_000))).toBeNull();

    const sent = await notices('monthly-report');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual({ role: 'head' });
    expect(sent[0]!.text).toMatch(/^Ежемесячный анализ сообщений граждан в социальных сетях за октябрь 2026 года: поступило \d+/);
    expect(sent[0]!.text).toContain(`Файл: ${files.pdf}`);
  }, 60000);
});
