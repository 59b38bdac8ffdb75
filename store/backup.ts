import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import readline from 'node:readline';
import zlib from 'node:zlib';
import mongoose from 'mongoose';
import type { Db } from './db.js';
import { collection, writeErrorsOf } from './db.js';
import { prepareArchiveCollection } from './archive.js';
import { enqueue } from './work-queue.js';

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
 * line, then `{"end":NAME,"count":N}`; last a trailer `{"otklik":"end","collections":C,"documents":D}`, so a
 * copy cut off between two collections is told from a whole one.
 */
export interface BackupProgress {
  (line: string): void;
}

const EJSON = mongoose.mongo.BSON.EJSON;
/** Written by the store itself when it opens (store/config-migration.ts). */
const STORE_OWNED = 'migrations';

/** A number of a marker line: canonical EJSON reads numbers back as Int32 or Double. */
function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && '_bsontype' in value) return Number((value as { valueOf(): unknown }).valueOf());
  return Number.NaN;
}
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
  await write({ otklik: 'end', collections: names.length, documents });
  gzip.end();
  await done;
  fs.renameSync(`${file}.partial`, file);
  return { collections: names.length, documents };
}

export class RestoreError extends Error {
  override readonly name = 'RestoreError';
  readonly retryable = false;
}

/** The lines of a backup, parsed, the header checked: what a restore and a verify both read. */
async function* backupLines(file: string): AsyncGenerator<{ readonly lineNo: number; readonly value: Record<string, unknown> }> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (!line.trim()) continue;
    let value: Record<string, unknown>;
    try {
      value = EJSON.parse(line, { relaxed: false }) as Record<string, unknown>;
    } catch (error) {
      throw new RestoreError(`${file}:${lineNo}: not a backup line (${error instanceof Error ? error.message : String(error)})`);
    }
    if (lineNo === 1 && (value.otklik !== 'backup' || num(value.version) !== 1)) throw new RestoreError(`${file}: not an otklik backup (version 1)`);
    yield { lineNo, value };
  }
}

/**
 * Restores into an empty database (refusing a non-empty one), batch by batch, indexes first;
 * the file is read through first, so a damaged backup is refused before anything is written.
 */
export async function restoreFrom(db: Db, file: string, progress: BackupProgress = () => {}): Promise<{ collections: number; documents: number }> {
  await verifyBackup(file);
  const existing = (await db.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  for (const name of existing) {
    // The store's own migration markers are written when it opens: an empty database has them.
    if (name === STORE_OWNED) continue;
    if ((await collection(db, name).estimatedDocumentCount()) > 0) throw new RestoreError(`database "${db.dbName}" is not empty (${name}): restore into an empty database (OTKLIK_DB_NAME, or a new OTKLIK_DATA_DIR for the embedded store)`);
  }
  let current: string | null = null;
  let batch: unknown[] = [];
  let collections = 0;
  let documents = 0;
  const flush = async () => {
    if (current === STORE_OWNED && batch.length > 0) {
      // The markers the opening store wrote are the same ones: keep those, add the rest.
      await collection(db, current).insertMany(batch as never[], { ordered: false }).catch((error: unknown) => {
        const errors = writeErrorsOf(error);
        if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw error;
      });
    } else if (current && batch.length > 0) await collection(db, current).insertMany(batch as never[], { ordered: true });
    documents += batch.length;
    batch = [];
  };
  for await (const { lineNo, value } of backupLines(file)) {
    if (lineNo === 1) continue;
    if (value.otklik === 'end') break;
    if (typeof value.collection === 'string' && Object.keys(value).length === 2 && Array.isArray(value.indexes)) {
      await flush();
      current = value.collection;
      collections += 1;
      // The store made its models' indexes when it opened, and archive collections get theirs
      // exactly as the live code makes them: an index created again with other options stays
      // on mongo-java-server as a twin that it then cannot drop.
      if (current.startsWith('incidents.archive.')) {
        await prepareArchiveCollection(db, current);
      } else {
        const made = new Set((await collection(db, current).indexes().catch(() => [])).map((i) => i.name));
        for (const index of value.indexes as Array<{ key: Record<string, 1 | -1>; unique: boolean; name: string }>) {
          if (made.has(index.name)) continue;
          await collection(db, current).createIndex(index.key, { unique: index.unique, name: index.name });
        }
      }
      continue;
    }
    if (typeof value.end === 'string' && Number.isFinite(num(value.count)) && Object.keys(value).length === 2) {
      await flush();
      progress(`${value.end}: ${num(value.count)} document(s)`);
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

/** What a backup file holds, read through to the end without a database. */
export interface BackupSummary {
  readonly at: string;
  readonly db: string;
  readonly collections: number;
  readonly documents: number;
}

/**
 * Reads a backup through: the header, every collection closed by its end line with the
 * count of documents written, nothing cut off. What a restore would refuse is refused here
 * first, naming the line, so a backup is known good before it is needed.
 */
export async function verifyBackup(file: string, progress: BackupProgress = () => {}): Promise<BackupSummary> {
  if (!fs.existsSync(file)) throw new RestoreError(`${file}: no such file`);
  let header: { at: string; db: string } | null = null;
  let current: string | null = null;
  let count = 0;
  let collections = 0;
  let documents = 0;
  let lineNo = 0;
  let trailer: { collections: number; documents: number } | null = null;
  let lastEnded: string | null = null;
  try {
    for await (const line of backupLines(file)) {
      lineNo = line.lineNo;
      const value = line.value;
      if (lineNo === 1) {
        header = { at: String(value.at), db: String(value.db) };
        continue;
      }
      if (trailer) throw new RestoreError(`${file}:${lineNo}: a line after the end of the backup`);
      if (value.otklik === 'end') {
        if (current) throw new RestoreError(`${file}:${lineNo}: the backup ends inside collection ${current}`);
        trailer = { collections: num(value.collections), documents: num(value.documents) };
        if (trailer.collections !== collections || trailer.documents !== documents) {
          throw new RestoreError(`${file}:${lineNo}: the backup should hold ${trailer.collections} collection(s) and ${trailer.documents} document(s), the file has ${collections} and ${documents}`);
        }
        continue;
      }
      if (typeof value.collection === 'string' && Object.keys(value).length === 2 && Array.isArray(value.indexes)) {
        if (current) throw new RestoreError(`${file}:${lineNo}: collection ${value.collection} begins before ${current} ended`);
        current = value.collection;
        count = 0;
        continue;
      }
      if (typeof value.end === 'string' && Number.isFinite(num(value.count)) && Object.keys(value).length === 2) {
        if (value.end !== current) throw new RestoreError(`${file}:${lineNo}: the end of ${value.end}, but ${current ?? 'no collection'} was open`);
        if (num(value.count) !== count) throw new RestoreError(`${file}:${lineNo}: ${current} should have ${num(value.count)} document(s), the file has ${count}`);
        progress(`${current}: ${count} document(s)`);
        collections += 1;
        documents += count;
        lastEnded = current;
        current = null;
        continue;
      }
      if (!current) throw new RestoreError(`${file}:${lineNo}: a document outside any collection`);
      count += 1;
    }
  } catch (error) {
    if (error instanceof RestoreError) throw error;
    // gunzip: a file cut off (a disk filled up, a copy interrupted).
    throw new RestoreError(`${file}: unreadable after line ${lineNo} (${error instanceof Error ? error.message : String(error)}): the backup is cut off or damaged`);
  }
  if (!header) throw new RestoreError(`${file}: empty`);
  if (current) throw new RestoreError(`${file}: ends inside collection ${current}: the backup is cut off`);
  if (!trailer) throw new RestoreError(`${file}: ends after collection ${lastEnded ?? '(none)'} without the closing line: the backup is cut off`);
  return { ...header, collections, documents };
}

/**
 * After a restore: every message without an incident is queued for classification again
 * (a live backup reads the queues last, so a message stored after its queue was read would
 * otherwise wait for nobody). Approved answers not yet published need nothing: the watcher
 * queues their publication again on its first tick. One pass over the messages and incidents.
 */
export async function reconcile(db: Db, progress: BackupProgress = () => {}): Promise<{ requeuedMessages: number }> {
  const made = new Set<string>();
  const names = (await db.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n === 'incidents' || n.startsWith('incidents.archive.'));
  for (const name of names) for await (const i of collection(db, name).find({}, { projection: { message: 1 } })) if (typeof i.message === 'string') made.add(i.message);
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
      await enqueue(db, 'classify', [{ tenant, ref: `restored:${chunk[0]}`, payload: { messages: chunk } }], now);
      requeued += chunk.length;
    }
  }
  progress(`messages queued again for classification: ${requeued}`);
  return { requeuedMessages: requeued };
}
