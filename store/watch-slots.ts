import { firstWatchAt, nextWatchAfter, type WatchedShape } from '../workflow/escalation.js';
import type { DeadlineRecord } from '../workflow/incident-machine.js';
import { collection, isDuplicateKey, type Db } from './db.js';
import { deleteByIds, findIn } from './key-lists.js';

/**
 * When the deadline watcher must next look at each open incident, kept by key: a write
 * files the incidents it changed under the minute each is next due to be looked at, as one
 * small document `m:<minute>:<seq>` (minutes since the epoch), numbered by the minute's
 * counter `n:<minute>`. A tick reads the counters of the minutes since the last tick, then
 * those documents, and loads the incidents they list, all by `_id`: its cost follows what is
 * due, not how many incidents are open (issue 15: a filtered find over the open incidents
 * scanned them all on the embedded store every 30 seconds). Documents are only inserted and
 * deleted, never grown: a minute that thousands of incidents fall due in (a weekend's
 * messages, all due Monday morning) is thousands of small documents, not one large one
 * rewritten on every write.
 *
 * An incident is filed after each write that changes its terms, under the minute its next
 * term becomes due soon (or at once, when it carries a due mark or waits for the
 * publisher), and again by the watcher after each look, under its next threshold. A stale
 * entry costs one look at an incident with nothing due. A crash between the incident's
 * write and its filing leaves it unfiled: the watcher's sweep (all open incidents, at start
 * and every few minutes) finds it.
 */
interface FiledDoc {
  _id: string;
  minute: number;
  ids?: string[];
  n?: number;
}

const slots = (db: Db) => collection<FiledDoc>(db, 'watchSlots');

export const SLOT_MS = 60 * 1000;

export function slotMinute(ms: number): number {
  return Math.floor(ms / SLOT_MS);
}

const counterId = (minute: number): string => `n:${minute}`;
const filedId = (minute: number, seq: number): string => `m:${minute}:${seq}`;

/**
 * Files incidents under the minutes they are due to be looked at, never under a minute
 * before the writer's `nowMs`: the watcher re-reads the last few minutes on every tick, so a
 * writer's clock a little behind the watcher's (a batch stamped when it began) still files
 * where the watcher reads.
 */
export async function fileForWatch(db: Db, entries: ReadonlyArray<{ readonly id: string; readonly atMs: number }>, nowMs: number): Promise<void> {
  if (entries.length === 0) return;
  const nowMinute = slotMinute(nowMs);
  const byMinute = new Map<number, string[]>();
  for (const { id, atMs } of entries) {
    const minute = Math.max(nowMinute, slotMinute(atMs));
    const list = byMinute.get(minute);
    if (list) list.push(id);
    else byMinute.set(minute, [id]);
  }
  for (const [minute, ids] of byMinute) {
    const seq = await nextInMinute(db, minute);
    await slots(db).insertOne({ _id: filedId(minute, seq), minute, ids: [...new Set(ids)] });
  }
}

/**
 * The minute's next number. The counter as it was *before* this increment: mongo-java-server
 * answers `returnDocument: 'after'` with a second read, which under concurrency may show
 * another writer's increment too (README, store contract). Two first writers of a minute
 * race to create its counter: the loser's upsert fails on the unique `_id` and is made again.
 */
async function nextInMinute(db: Db, minute: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const before = await slots(db).findOneAndUpdate({ _id: counterId(minute) }, { $inc: { n: 1 }, $set: { minute } }, { upsert: true, returnDocument: 'before' });
      return (before?.n ?? 0) + 1;
    } catch (error) {
      if (!isDuplicateKey(error) || attempt > 0) throw error;
    }
  }
}

/** An incident as stored (hot collection), as far as its watch time goes. */
interface WrittenIncident {
  readonly _id: string;
  readonly state: string;
  readonly [field: string]: unknown;
}

function watchedShape(doc: WrittenIncident): WatchedShape {
  return { state: doc.state, nextDueAt: (doc.nextDueAt as Date | null | undefined) ?? null, dueStatus: (doc.dueStatus as string | null | undefined) ?? null };
}

/** Files incidents just written under their first watch time (none for an incident with nothing due). */
export async function fileWritten(db: Db, docs: readonly WrittenIncident[], nowMs: number): Promise<void> {
  await fileForWatch(db, docs.flatMap((d) => {
    const atMs = firstWatchAt(watchedShape(d), nowMs);
    return atMs === null ? [] : [{ id: d._id, atMs }];
  }), nowMs);
}

/** Files incidents the watcher has just looked at under their next watch time. */
export async function fileWatched(db: Db, incidents: ReadonlyArray<WatchedShape & { readonly id: string; readonly deadlines: readonly DeadlineRecord[] }>, nowMs: number): Promise<void> {
  await fileForWatch(db, incidents.flatMap((i) => {
    const atMs = nextWatchAfter(i, nowMs);
    return atMs === null ? [] : [{ id: i.id, atMs }];
  }), nowMs);
}

/** What a tick read: the documents it read (by `_id`) and the incidents they list. */
export interface FiledMinutes {
  readonly documents: readonly string[];
  readonly incidents: readonly string[];
}

/**
 * The incidents filed under the minutes `fromMinute`..`toMinute`: the minutes' counters by
 * `_id`, then their documents by `_id`. One numbered but not yet written (its writer between
 * the two steps) is read by a later tick, which reads these minutes again.
 */
export async function filedBetween(db: Db, fromMinute: number, toMinute: number): Promise<FiledMinutes> {
  if (toMinute < fromMinute) return { documents: [], incidents: [] };
  const minutes = Array.from({ length: toMinute - fromMinute + 1 }, (_, k) => fromMinute + k);
  const counters = await findIn(slots(db), '_id', minutes.map(counterId));
  const ids = counters.flatMap((c) => Array.from({ length: c.n ?? 0 }, (_, k) => filedId(c.minute, k + 1)));
  if (ids.length === 0) return { documents: [], incidents: [] };
  const docs = await findIn(slots(db), '_id', ids);
  return { documents: docs.map((d) => d._id), incidents: [...new Set(docs.flatMap((d) => d.ids ?? []))] };
}

/** Deletes what a tick read and has filed again where needed, by `_id`. */
export async function unfile(db: Db, read: FiledMinutes): Promise<void> {
  if (read.documents.length === 0) return;
  await deleteByIds(slots(db), read.documents);
}

/**
 * Drops every minute up to `toMinute` (documents and counters), after a sweep has looked at
 * every open incident due: a scan of this small collection, made only with a sweep.
 */
export async function dropFiledUpTo(db: Db, toMinute: number): Promise<void> {
  await slots(db).deleteMany({ minute: { $lte: toMinute } });
}
