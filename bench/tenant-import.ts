import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { tenantFileSchema, type GazetteerEntry } from '../config/tenant-schema.js';
import { openStore, type Store } from '../store/connection.js';
import { startEmbeddedStore, type EmbeddedStore } from '../store/embedded/server.js';

/**
 * Tenant imports (issue 12, point 4) on a fresh embedded store (256 MiB, as pm2 runs it):
 * a gazetteer of N entries (default 60,000) imported new, again unchanged, and with one
 * entry changed (a whole new version); then the hot readers after it — the runtime the
 * workers load, the staff bot's lookup by Telegram id, the classifier's tenant load.
 *   node --import tsx bench/tenant-import.ts [N]
 */
const N = Number(process.argv[2] ?? 60000);

function gazetteer(count: number, suffix = ''): GazetteerEntry[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'street' as const, name: `улица Номер ${i + 1}${i === 0 ? suffix : ''}`, settlement: 'Зареченск', aliases: [`ул. Номер ${i + 1}`, `Номер ${i + 1}`] }));
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await work();
  console.log(`${label}: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
  return result;
}

async function median(label: string, runs: number, work: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: median ${times[Math.floor(runs / 2)]!.toFixed(1)} ms over ${runs}`);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-bench-import-'));
let embedded: EmbeddedStore | undefined;
let store: Store | undefined;
try {
  embedded = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: 256 });
  store = await openStore({ uri: embedded.uri, dbName: 'bench_import' });
  const example = tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')));
  await store.tenants.importFile(example);
  console.log(`gazetteer of ${N} entries, batches of 1,000, embedded store at 256 MiB`);
  let lines = 0;
  const report = await timed('  new', () => store!.tenants.importGazetteer('zarechensk', gazetteer(N), { onProgress: () => (lines += 1) }));
  console.log(`    created ${report.created.length}, ${lines} progress line(s)`);
  await timed('  again, unchanged (nothing written)', () => store!.tenants.importGazetteer('zarechensk', gazetteer(N)));
  await timed('  one entry changed (a whole new version)', () => store!.tenants.importGazetteer('zarechensk', gazetteer(N, ' (новое название)')));
  await timed('  whole tenant file, staff changed, gazetteer left out', () => store!.tenants.importFile({ ...example, gazetteer: undefined, staff: example.staff!.map((s) => (s.code === 'glava' ? { ...s, fullName: 'Белов А. В.' } : s)) } as never));
  console.log('readers with the 60,000 entries (and the replaced version) stored');
  await median('  runtime load (tenant, staff, departments, calendar)', 50, () => store!.tenants.runtime('zarechensk'));
  await median('  staff bot: staff by Telegram id', 200, () => store!.staff.byTelegramId(100011));
  await median('  staff bot: unknown Telegram id', 200, () => store!.staff.byTelegramId(999999));
  await median('  workplace: staff.isActive', 200, () => store!.staff.isActive('zarechensk', 'orlova'));
  await median('  classifier: tenant load (gazetteer and lists)', 5, () => store!.classifier.forTenant('zarechensk'));
} finally {
  await store?.close();
  await embedded?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
