import { firstWatchAt, nextWatchAfter, type WatchedShape } from '../workflow/escalation.js';
import type { DeadlineRecord } from '../workflow/incident-machine.js';
import { collection, type Db } from './db.js';

/**
 * When the deadline watcher must next look at each open incident, kept by key: one small
 * document per minute (`_id` `m:<minutes since the epoch>`) listing the incidents due to be
 * looked at in that minute. A tick reads the minutes since the last one by `_id` and loads
 * those incidents by `_id`, so its cost follows what is due, not how many incidents are
 * open (issue 15: a filtered find over the open incidents scanned them all on the embedded
 * store every 30 seconds).
 *
 * An incident is filed after each write that changes its terms, under the minute its next
 * term becomes due soon (or at once, when it carries a due mark or waits for the
 * publisher), and again by the watcher after each look, under its next threshold. A stale
 * entry costs one look at an incident with nothing due. A crash between the incident's
 * write and its filing leaves it unfiled: the watcher's sweep (all open incidents, at start
 * and every few minutes) finds it.
 */
interface SlotDoc {
  _id: string;
  ids: string[];
}

const slots = (db: Db) => collection<SlotDoc>(db, 'watchSlots');

export const SLOT_MS = 60 * 1000;

export function slotMinute(ms: number): number {
  return Math.floor(ms / SLOT_MS);
}

// Minutes since the epoch have eight digits until the year 2160, so these ids also sort as numbers.
function slotId(minute: number): string {
  return `m:${minute}`;
}

/**
 * Files incidents under the minutes they are due to be looked at, never under a minute
 * before the writer's `nowMs`: the watcher re-reads the last few minutes on every tick and
 * drops a minute only once it is that far behind, so a writer's clock a little behind the
 * watcher's (a batch stamped when it began) still files where the watcher reads.
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
  await slots(db).bulkWrite([...byMinute].map(([minute, ids]) => ({
    updateOne: { filter: { _id: slotId(minute) }, update: { $addToSet: { ids: { $each: ids } } }, upsert: true },
  })), { ordered: false });
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

/** What a tick read: the incidents filed under each minute it looked at. */
export type FiledMinutes = ReadonlyMap<number, readonly string[]>;

/** The incidents filed under the minutes `fromMinute`..`toMinute`, read by `_id`. */
export async function filedBetween(db: Db, fromMinute: number, toMinute: number): Promise<FiledMinutes> {
  if (toMinute < fromMinute) return new Map();
  const ids = Array.from({ length: toMinute - fromMinute + 1 }, (_, k) => slotId(fromMinute + k));
  const docs = await slots(db).find({ _id: { $in: ids } }).toArray();
  return new Map(docs.filter((d) => d.ids.length > 0).map((d) => [Number(d._id.slice(2)), d.ids]));
}

/**
 * Takes what a tick read out of its minutes, by `_id`: an incident filed there after the
 * read stays for the next tick. The emptied documents go with the next sweep.
 */
export async function unfile(db: Db, read: FiledMinutes): Promise<void> {
  if (read.size === 0) return;
  await slots(db).bulkWrite([...read].map(([minute, ids]) => ({
    updateOne: { filter: { _id: slotId(minute) }, update: { $pullAll: { ids: [...ids] } } },
  })), { ordered: false });
}

/**
 * Drops every minute up to `toMinute`, after a sweep has looked at every open incident due:
 * a scan of this small collection, made only with a sweep.
 */
export async function dropFiledUpTo(db: Db, toMinute: number): Promise<void> {
  await slots(db).deleteMany({ _id: { $lte: slotId(toMinute) } });
}
