import { collection, isDuplicateKey, type Db } from './db.js';
import type { RepeatLogChunk, RepeatLogRepository } from './port.js';
import { reserveSequence, sequenceValue } from './sequences.js';
import { findIn } from './key-lists.js';

/**
 * The repeat index's durable form: each classifier batch appends one chunk of entries
 * (`repeatLog`, `_id` `tenant:seq`), and every classifier process builds its in-memory
 * index from the chunks — the newest first at start, in the background, so a classifier
 * starts at once at any size of the store — and then follows the chunks other processes
 * append. One write per batch, where filing each incident under its keys took dozens.
 */
const sequenceName = (tenant: string) => `repeatLog:${tenant}`;

export async function appendRepeatEntries<E>(db: Db, tenant: string, entries: readonly E[], now: Date): Promise<number> {
  const seq = await reserveSequence(db, sequenceName(tenant), 1);
  try {
    await collection(db, 'repeatLog').insertOne({ _id: `${tenant}:${seq}` as never, tenant, seq, at: now, entries: [...entries] });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  return seq;
}

export async function repeatChunks<E>(db: Db, tenant: string, seqs: readonly number[]): Promise<RepeatLogChunk<E>[]> {
  if (seqs.length === 0) return [];
  const docs = await findIn(collection(db, 'repeatLog'), '_id', seqs.map((s) => `${tenant}:${s}`));
  return docs.map((d) => ({ seq: d.seq as number, at: d.at as Date, entries: d.entries as E[] })).sort((a, b) => a.seq - b.seq);
}

export function repeatLogOf(db: Db): RepeatLogRepository {
  return {
    append: (tenant, entries, now) => appendRepeatEntries(db, tenant, entries, now),
    head: (tenant) => sequenceValue(db, sequenceName(tenant)),
    chunks: (tenant, seqs) => repeatChunks(db, tenant, seqs),
  };
}
