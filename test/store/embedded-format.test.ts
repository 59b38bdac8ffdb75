import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { startEmbeddedStore, type EmbeddedStore } from '../../store/embedded/server.js';
import { FORMAT_DB, formatDocuments } from './fixtures/format-documents.js';

/**
 * The embedded store's file format: index keys ordered by value and documents kept as BSON
 * (store/embedded/Launcher.java). A file written before (Java-serialized documents, index
 * keys in serialized-byte order) must open with every document found by every unique key.
 */
const dirs: string[] = [];
const servers: EmbeddedStore[] = [];
const here = path.dirname(new URL(import.meta.url).pathname);

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-format-'));
  dirs.push(dir);
  return dir;
}
async function start(dataDir: string): Promise<EmbeddedStore> {
  const server = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: 320 });
  servers.push(server);
  return server;
}
async function withDb<T>(uri: string, work: (db: mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const client = new mongoose.mongo.MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 5000, promoteLongs: false, promoteValues: false });
  await client.connect();
  try {
    return await work(client.db(FORMAT_DB));
  } finally {
    await client.close(true);
  }
}
/** What was written, as the store gives it back (the fixture's own changes applied). */
function expectedDocuments(): Array<Record<string, unknown>> {
  return formatDocuments()
    .filter((d) => d._id !== 't1:1')
    .map((d) => (d._id === 't0:0' ? { ...d, state: 'closed', revision: new mongoose.mongo.Int32(1) } : d));
}
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function expectEveryDocumentByEveryKey(db: mongoose.mongo.Db, expected: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const incidents = db.collection('incidents');
  for (const doc of expected) {
    // The equality lookups the workers make go through the unique indexes.
    const byId = await incidents.findOne({ _id: doc._id as never });
    expect(plain(byId)).toEqual(plain(doc));
    expect((await incidents.findOne({ message: doc.message }))?._id).toBe(doc._id);
    expect((await incidents.findOne({ tenant: doc.tenant, number: doc.number }))?._id).toBe(doc._id);
    expect((await incidents.findOne({ ratio: doc.ratio }))?._id).toBe(doc._id);
  }
  expect(Number(await incidents.countDocuments())).toBe(expected.length);
}

describe('embedded store file format', () => {
  it('opens a data file written by the earlier launcher: every document is read whole and found by every unique key, and unique keys still refuse duplicates', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'otklik.mv.db'), zlib.gunzipSync(fs.readFileSync(path.join(here, 'fixtures', 'format-v0.mv.db.gz'))));
    const server = await start(dir);
    const expected = expectedDocuments();
    await withDb(server.uri, async (db) => {
      await expectEveryDocumentByEveryKey(db, expected);
      const incidents = db.collection('incidents');
      await expect(incidents.insertOne({ _id: 'new:1' as never, message: 'vk:1000', tenant: 'x', number: 1, ratio: -1 })).rejects.toThrow(/E11000/);
      await expect(incidents.insertOne({ _id: 'new:2' as never, message: 'vk:new', tenant: 't2', number: -118, ratio: -2 })).rejects.toThrow(/E11000/);
      // The key freed by the fixture's delete is free again; a new document is found by its keys.
      await incidents.insertOne({ _id: 't1:1' as never, message: 'vk:again', tenant: 't1', number: -119, ratio: 1 / 7 + 1000 });
      expect((await incidents.findOne({ tenant: 't1', number: -119 }))?._id).toBe('t1:1');
    });
    await server.stop();
    // Reopened: the rebuilt indexes and the documents rewritten as BSON stay as they were.
    const again = await start(dir);
    await withDb(again.uri, async (db) => {
      await expectEveryDocumentByEveryKey(db, [...expected, { _id: 't1:1', message: 'vk:again', tenant: 't1', number: -119, ratio: 1 / 7 + 1000 }]);
    });
    expect(fs.readFileSync(path.join(dir, 'store.log'), 'utf8')).toMatch(/MIGRATED 4 index maps/);
    await again.stop();
  });

  it('keeps every BSON type a document can hold across a restart, and after updates that rewrite it', async () => {
    const dir = tempDir();
    const server = await start(dir);
    const docs = formatDocuments().slice(0, 40);
    await withDb(server.uri, async (db) => {
      await db.collection('incidents').insertMany(docs);
      await db.collection('incidents').updateMany({}, { $set: { 'flags.seen': true }, $push: { history: { at: new Date(Date.UTC(2026, 1, 1)), to: 'closed' } } as never });
    });
    await server.stop();
    const again = await start(dir);
    const stored = await withDb(again.uri, (db) => db.collection('incidents').find({}).sort({ _id: 1 }).toArray());
    const expected = docs
      .map((d): Record<string, unknown> => ({ ...d, flags: { ...(d.flags as object), seen: true }, history: [...(d.history as unknown[]), { at: new Date(Date.UTC(2026, 1, 1)), to: 'closed' }] }))
      .sort((a, b) => String(a._id).localeCompare(String(b._id)));
    expect(stored.map((d) => String(d._id))).toEqual(expected.map((d) => String(d._id)));
    expect(plain(stored)).toEqual(plain(expected));
    // Exact BSON types, not only their JSON forms.
    expect(stored[0]!.big).toBeInstanceOf(mongoose.mongo.Long);
    expect(stored[0]!.revision).toBeInstanceOf(mongoose.mongo.Int32);
    expect(stored[0]!.amount).toBeInstanceOf(mongoose.mongo.Decimal128);
    expect(stored[0]!.blob).toBeInstanceOf(mongoose.mongo.Binary);
    expect(stored[0]!.ref).toBeInstanceOf(mongoose.mongo.ObjectId);
    expect(stored[0]!.createdAt).toBeInstanceOf(Date);
    await again.stop();
  });

  it('keeps keys of every kind (ObjectId ids, compound keys with ObjectIds, absent fields in a sparse index) across restarts: each document found by each key, duplicates still refused', async () => {
    const { ObjectId } = mongoose.mongo;
    const dir = tempDir();
    const owner = (i: number): InstanceType<typeof ObjectId> => new ObjectId((i % 17).toString(16).padStart(24, 'a'));
    const docs = Array.from({ length: 300 }, (_, i) => ({
      _id: new ObjectId(i.toString(16).padStart(24, '0')),
      owner: owner(i),
      slot: `s${i}`,
      ...(i % 3 === 0 ? {} : { code: i % 5 === 0 ? i : `c${i}` }),
    }));
    const server = await start(dir);
    await withDb(server.uri, async (db) => {
      const keys = db.collection('keys');
      await keys.createIndex({ owner: 1, slot: 1 }, { unique: true, name: 'owner_slot' });
      await keys.createIndex({ code: 1 }, { unique: true, sparse: true, name: 'code' });
      await keys.insertMany(docs);
      // Rewrites pages of every map: deletes, and a key moved to another value.
      await keys.deleteMany({ slot: { $in: ['s1', 's2'] } });
      await keys.updateOne({ _id: docs[4]!._id }, { $set: { slot: 'moved', code: 'c-moved' } });
    });
    await server.stop();
    const expected = docs
      .filter((d) => d.slot !== 's1' && d.slot !== 's2')
      .map((d) => (d.slot === 's4' ? { ...d, slot: 'moved', code: 'c-moved' } : d));
    for (let round = 0; round < 2; round++) {
      const again = await start(dir);
      await withDb(again.uri, async (db) => {
        const keys = db.collection('keys');
        for (const doc of expected) {
          expect(plain(await keys.findOne({ _id: doc._id }))).toEqual(plain(doc));
          expect(String((await keys.findOne({ owner: doc.owner, slot: doc.slot }))?._id)).toBe(String(doc._id));
          if ('code' in doc) expect(String((await keys.findOne({ code: doc.code }))?._id)).toBe(String(doc._id));
        }
        expect(Number(await keys.countDocuments())).toBe(expected.length);
        await expect(keys.insertOne({ _id: docs[10]!._id, owner: owner(999), slot: 'x' })).rejects.toThrow(/E11000/);
        await expect(keys.insertOne({ owner: docs[10]!.owner, slot: 's10' })).rejects.toThrow(/E11000/);
        await expect(keys.insertOne({ owner: owner(998), slot: 'y', code: 'c-moved' })).rejects.toThrow(/E11000/);
        // Freed keys are free again.
        await keys.insertOne({ _id: docs[1]!._id, owner: docs[4]!.owner, slot: 's4', code: 'c4' });
        await keys.deleteOne({ _id: docs[1]!._id });
      });
      await again.stop();
    }
  });
});
