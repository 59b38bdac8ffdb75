// The reports worker as pm2 runs it: a real process on the embedded store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import type { Store } from '../../store/port.js';
import { monthlyReportFiles } from '../../reports/delivery.js';
import { addIncident, importExampleTenant, TENANT } from '../support/report-data.js';
import { dropTestStore, openTestStore, rawDb, testStoreUri } from '../support/store.js';
import { startWorker, waitUntil, type WorkerProcess } from '../support/worker-processes.js';

describe('reports worker (process, embedded store)', () => {
  let store: Store;
  let dir: string;
  let worker: WorkerProcess | undefined;
  // The month before the real one in Moscow: what a worker started today catches up.
  const lastMonth = DateTime.now().setZone('Europe/Moscow').startOf('month').minus({ months: 1 });

  beforeAll(async () => {
    store = await openTestStore('reports_worker');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-reports-worker-'));
    await importExampleTenant(store);
    const runtime = await store.tenants.runtime(TENANT);
    for (let k = 0; k < 5; k++) await addIncident(store, runtime, { id: `old-${k}`, detectedAt: lastMonth.plus({ days: 3 + k, hours: 10 }).toJSDate(), topic: 'дороги', location: 'ул. Мира' });
    await addIncident(store, runtime, { id: 'now-high', detectedAt: new Date(Date.now() - 60_000), topic: 'ЧС и безопасность', location: 'Луговое', importance: 'high' });
  }, 60000);

  afterAll(async () => {
    await worker?.stop();
    await dropTestStore(store);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60000);

  it('catches up last month\'s report for the head and sends the high-importance alert, each once', async () => {
    worker = startWorker(['reports'], { MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: store.dbName, OTKLIK_REPORTS_DIR: dir });
    const db = rawDb(store);
    const month = lastMonth.toFormat('yyyy-MM');
    const files = monthlyReportFiles(dir, TENANT, month);
    const report = await waitUntil('the monthly report notice', async () => (await db.collection('notices').findOne({ tenant: TENANT, kind: 'monthly-report' })) ?? undefined, 60000);
    expect(report.to).toEqual({ role: 'head' });
    expect(report.text).toContain('поступило 5');
    expect(report.text).toContain(files.pdf);
    expect(fs.readFileSync(files.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const alerts = await waitUntil('the high-importance alerts', async () => {
      const found = await db.collection('notices').find({ tenant: TENANT, kind: 'high-importance-alert' }).toArray();
      return found.length >= 2 ? found : undefined;
    }, 30000);
    expect(alerts.map((n) => (n.to as { role: string }).role).sort()).toEqual(['curator', 'head']);

    // A second worker started beside it repeats neither.
    await worker.stop();
    worker = startWorker(['reports'], { MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: store.dbName, OTKLIK_REPORTS_DIR: dir });
    await waitUntil('the second worker to check', async () => (await db.collection('reportEvents').countDocuments({ tenant: TENANT })) >= 2, 30000);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await db.collection('notices').countDocuments({ tenant: TENANT, kind: 'monthly-report' })).toBe(1);
    expect(await db.collection('notices').countDocuments({ tenant: TENANT, kind: 'high-importance-alert' })).toBe(2);
  }, 120000);
});
