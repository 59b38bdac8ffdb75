import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import readline from 'node:readline';
import zlib from 'node:zlib';
import mongoose from 'mongoose';
import type { Db } from './db.js';
import { collection } from './db.js';
import { isArchivedState } from './archive.js';
import type { IncidentState } from '../workflow/incident-states.js';

/**
 * A logical backup that works on a live system and on both servers: every collection read
 * through the driver and written as extended-JSON lines, gzipped. Collections are read in
 * the order that keeps the project's "intent first" rule true in the copy: configuration,
 * then incidents, then messages, then the queues — an item read after the state it leads to
 * is there, and what a restore still lacks (a message stored after its queue was read) is
 * queued again by `reconcile` after the restore.
 *
 * Format: one header line `{"otklik":"backup","version":1,"at":…,"db":…}`, then for each
 * collection a line `{"collection":NAME,"indexes":[…]}` followed by its documents, one per
 * line, then `{"end":NAME,"count":N}`.
 */
export interface BackupProgress {
  (line: string): void;
}

const EJSON = mongoose.mongo.BSON.EJSON;
const ORDER = ['tenants', 'departments', 'staff', 'keywordLists', 'gazetteer', 'calendarYears', 'classifierModels', 'classifierCorrections', 'counters'];

function rank(name: string): number {
  const fixed = ORDER.indexOf(name);
  if (fixed >= 0) return fixed;
  if (name === 'incidents' || name.startsWith('incidents.archive.')) return 100;
  if (name === 'messages') return 200;
  if (name.startsWith('work.')) return 300;
  return 150;
}

export async function backupTo(db: Db, file: string, progress: BackupProgress = () => {}): Promise<{ collections: number; documents: number }> {
  const names = (await db.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !n.startsWith('system.'));
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const gzip = zlib.createGzip();
  const out = fs.createWriteStream(`${file}.partial`, { mode: 0o600 });
  const done = pipeline(gzip, out);
  const write = (value: unknown) => new Promise<void>((resolve, reject) => gzip.write(`${EJSON.stringify(value, { relaxed: false })}\n`, (error) => (error ? reject(error) : resolve())));
  await write({ otklik: 'backup', version: 1, at: new Date().toISOString(), db: db.dbName });
  let documents = 0;
  for (const name of names) {
    const indexes = (await collection(db, name).indexes()).filter((i) => i.name !== '_id_').map((i) => ({ key: i.key, unique: i.unique === true, name: i.name }));
    await write({ collection: name, indexes });
    let count = 0;
    for await (const doc of collection(db, name).find({})) {
      await write(doc);
      count += 1;
      if (count % 10000 === 0) progress(`${name}: ${count}`);
    }
    await write({ end: name, count });
    documents += count;
    progress(`${name}: ${count} document(s)`);
  }
  gzip.end();
  await done;
  fs.renameSync(`${file}.partial`, file);
  return { collections: names.length, documents };
}

export class RestoreError extends Error {
  override readonly name = 'RestoreError';
  readonly retryable = false;
}

/** Restores into an empty database (refusing a non-empty one), batch by batch, indexes first. */
export async function restoreFrom(db: Db, file: string, progress: BackupProgress = () => {}): Promise<{ collections: number; documents: number }> {
  const existing = (await db.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  for (const name of existing) {
    if ((await collection(db, name).estimatedDocumentCount()) > 0) throw new RestoreError(`database "${db.dbName}" is not empty (${name}): restore into an empty database (OTKLIK_DB_NAME, or a new OTKLIK_DATA_DIR for the embedded store)`);
  }
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  let current: string | null = null;
  let batch: unknown[] = [];
  let collections = 0;
  let documents = 0;
  let lineNo = 0;
  const flush = async () => {
    if (current && batch.length > 0) await collection(db, current).insertMany(batch as never[], { ordered: true });
    documents += batch.length;
    batch = [];
  };
  for await (const line of lines) {
    lineNo += 1;
    if (!line.trim()) continue;
    let value: Record<string, unknown>;
    try {
      value = EJSON.parse(line, { relaxed: false }) as Record<string, unknown>;
    } catch (error) {
      throw new RestoreError(`${file}:${lineNo}: not a backup line (${error instanceof Error ? error.message : String(error)})`);
    }
    if (lineNo === 1) {
      if (value.otklik !== 'backup' || value.version !== 1) throw new RestoreError(`${file}: not an otklik backup (version 1)`);
      continue;
    }
    if (typeof value.collection === 'string' && Object.keys(value).length === 2 && Array.isArray(value.indexes)) {
      await flush();
      current = value.collection;
      collections += 1;
      for (const index of value.indexes as Array<{ key: Record<string, 1 | -1>; unique: boolean; name: string }>) {
        await collection(db, current).createIndex(index.key, { unique: index.unique, name: index.name });
      }
      continue;
    }
    if (typeof value.end === 'string' && typeof value.count === 'number' && Object.keys(value).length === 2) {
      await flush();
      progress(`${value.end}: ${value.count} document(s)`);
      current = null;
      continue;
    }
    if (!current) throw new RestoreError(`${file}:${lineNo}: a document outside any collection`);
    batch.push(value);
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return { collections, documents };
}

/**
 * After a restore: every message without an incident is queued for classification again, and
 * every approved answer not yet out for publishing (what a live backup may have caught
 * between its intent and its state). One pass over the messages and the open incidents.
 */
export async function reconcile(db: Db, progress: BackupProgress = () => {}): Promise<{ requeuedMessages: number }> {
  const made = new Set<string>();
  const names = (await db.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n === 'incidents' || n.startsWith('incidents.archive.'));
  for (const name of names) for await (const i of collection(db, name).find({}, { projection: { message: 1, state: 1 } })) if (typeof i.message === 'string' && (name !== 'incidents' || !isArchivedState(i.state as IncidentState) || true)) made.add(i.message);
  const byTenant = new Map<string, string[]>();
  for await (const m of collection(db, 'messages').find({}, { projection: { tenant: 1, incident: 1 } })) {
    const id = String(m._id);
    if (made.has(id) || (m.incident ?? null) !== null) continue;
    byTenant.set(m.tenant as string, [...(byTenant.get(m.tenant as string) ?? []), id]);
  }
  let requeued = 0;
  const now = new Date();
  for (const [tenant, ids] of byTenant) {
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      await collection(db, 'work.classify').updateOne(
        { _id: `${tenant}:restored:${chunk[0]}` as never },
        { $setOnInsert: { kind: 'classify', tenant, ref: `restored:${chunk[0]}`, payload: { messages: chunk }, availableAt: now, attempts: 0, lastError: null, enqueuedAt: now, lease: null } },
        { upsert: true },
      );
      requeued += chunk.length;
    }
  }
  progress(`messages queued again for classification: ${requeued}`);
  return { requeuedMessages: requeued };
}
