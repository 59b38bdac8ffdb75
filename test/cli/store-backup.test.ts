// `otklik store backup | verify | restore` as an admin runs them: the real launcher against
// databases on the embedded test server, with incidents made by the classifier worker's step.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import type { Store } from '../../store/port.js';
import { classifyQueued } from '../support/classify.js';
import { runOtklik } from '../support/cli.js';
import { allIncidents, dropTestStore, openTestStore, rawDb } from '../support/store.js';

let source: Store;
let target: Store;
let dir: string;

function vk(id: string, text: string): NormalizedMessage {
  return {
    network: 'vk', externalId: id, kind: 'comment', place: { containerId: '-218475963', postId: '1377', itemId: id },
    author: { id: `a-${id}`, name: 'Житель', anonymous: false }, text, attachments: [], createdAt: new Date('2026-11-24T07:00:00Z'), matchedKeywords: [], raw: { id },
  };
}

beforeAll(async () => {
  source = await openTestStore('backup_src');
  target = await openTestStore('backup_dst');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-backup-'));
  await source.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
  await source.messages.ingest('zarechensk', [
    vk('1', 'На улице Ленина в доме 5 третий день нет горячей воды'),
    vk('2', 'Купи дёшево окна, звони сейчас, скидки только сегодня!!! Пиши в личку, ссылка в профиле'),
  ], 'vk-main');
  await classifyQueued(source, new Date('2026-11-24T07:00:30Z'));
  // Stored after the classifier ran: a live backup can hold a message whose classification is not done.
  await source.messages.ingest('zarechensk', [vk('3', 'Яма на дороге у школы № 3')], 'vk-main');
  await rawDb(source).collection('work.classify').deleteMany({});
}, 60000);

afterAll(async () => {
  await dropTestStore(source);
  await dropTestStore(target);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('otklik store backup, verify, restore', () => {
  it('backs up a database, verifies the copy, and restores it whole into an empty one, queueing what was left half-done', async () => {
    const file = path.join(dir, 'copy.jsonl.gz');
    const backup = await runOtklik(source.dbName, ['store', 'backup', file]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/Готово: \d+ коллекций, \d+ документов/);
    // Personal data inside: only the owner may read it.
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const verify = await runOtklik(source.dbName, ['store', 'verify', file]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`Копия цела: база ${source.dbName}`);

    const restore = await runOtklik(target.dbName, ['store', 'restore', file]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('сообщений снова в очереди на классификацию: 1');
    const before = (await allIncidents(source)).map((i) => [i.number, i.state, i.revision]);
    expect((await allIncidents(target)).map((i) => [i.number, i.state, i.revision])).toEqual(before);
    expect((await target.incidents.inbox({ tenant: 'zarechensk' })).rows.map((r) => r.preview)).toEqual([expect.stringContaining('горячей воды')]);
    // The message the backup caught unclassified becomes an incident after the restore.
    await classifyQueued(target, new Date('2026-11-24T07:05:00Z'));
    expect((await target.incidents.inbox({ tenant: 'zarechensk', text: 'яма' })).total).toBe(1);

    // A second restore would mix two databases: refused, nothing written.
    const again = await runOtklik(target.dbName, ['store', 'restore', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');
  });

  it('refuses a backup that was cut off, naming the file, before writing anything', async () => {
    const file = path.join(dir, 'whole.jsonl.gz');
    expect((await runOtklik(source.dbName, ['store', 'backup', file])).code).toBe(0);
    const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const cut = path.join(dir, 'cut.jsonl.gz');
    fs.writeFileSync(cut, zlib.gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n'));
    const verify = await runOtklik(source.dbName, ['store', 'verify', cut]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(/cut\.jsonl\.gz: ends (inside collection|after collection) \S+.*: the backup is cut off/);
    const truncated = path.join(dir, 'truncated.jsonl.gz');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const empty = await openTestStore('backup_cut');
    try {
      const restore = await runOtklik(empty.dbName, ['store', 'restore', truncated]);
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain('truncated.jsonl.gz');
      // Opening the store makes its empty collections and its migration marker; nothing else may be written.
      const names = (await rawDb(empty).listCollections().toArray()).map((c) => c.name).filter((n) => n !== 'migrations');
      const counts = await Promise.all(names.map(async (n) => [n, await rawDb(empty).collection(n).countDocuments()] as const));
      expect(counts.filter(([, n]) => n > 0)).toEqual([]);
    } finally {
      await dropTestStore(empty);
    }
  });
});
