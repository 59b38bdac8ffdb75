import { hot, isArchivedState } from './archive.js';
import { collection, type Db } from './db.js';
import { reportEventModel } from './models/report-event.js';
import { highImportanceHeadKey, noticeRepositoryOf } from './notices.js';
import type { HighImportanceIncident } from './report-types.js';
import { deleteByIds, findIn } from './key-lists.js';

/**
 * The reports worker's records that make each report and alert happen once (003 [13]),
 * and the open incidents its immediate alerts look at.
 */

const DUPLICATE_KEY = 11000;

/**
 * Records `key` for the tenant unless it is recorded already; true for the one caller
 * that created it. An upsert with only $setOnInsert, backed by the unique index: two
 * workers racing both upsert, one inserts, the other matches (or hits the index) and
 * gets false (the store contract suite checks exactly this on both servers).
 */
export async function recordOnce(db: Db, tenant: string, key: string, kind: string, detail: unknown, now: Date): Promise<boolean> {
  try {
    const result = await reportEventModel(db.connection).updateOne(
      { tenant, key },
      { $setOnInsert: { tenant, key, kind, createdAt: now, detail: detail ?? null } },
      { upsert: true },
    ).exec();
    return result.upsertedCount === 1;
  } catch (error) {
    if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
    throw error;
  }
}

/** Forgets a record whose action failed after it was made, so that the next run tries again. */
export async function forgetRecord(db: Db, tenant: string, key: string): Promise<void> {
  await reportEventModel(db.connection).deleteOne({ tenant, key }).exec();
}

export async function hasRecord(db: Db, tenant: string, key: string): Promise<boolean> {
  return (await reportEventModel(db.connection).findOne({ tenant, key }, { _id: 1 }).lean().exec()) !== null;
}

/**
 * The incidents the classifier found of high importance, by incident `_id`: the alerts read
 * these few instead of filtering every open incident. A filter on `importance` scanned
 * the hot collection; under a regional centre's burst (60,000 open incidents) that one read
 * took 4 s and held a few hundred MiB in the embedded store every two minutes (issue 15).
 * Filed before the incident is written, so a crash in between leaves an entry with no
 * incident (skipped, then pruned), never an incident the alert misses.
 */
const HIGH_IMPORTANCE = 'highImportance';

export interface HighImportanceEntry {
  readonly _id: string;
  readonly tenant: string;
  readonly detectedAt: Date;
}

export async function fileHighImportance(db: Db, entries: readonly HighImportanceEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await collection(db, HIGH_IMPORTANCE).bulkWrite(
    entries.map((e) => ({ updateOne: { filter: { _id: e._id as never }, update: { $setOnInsert: { tenant: e.tenant, detectedAt: e.detectedAt } }, upsert: true } })),
    { ordered: false },
  );
}

/**
 * Not rejected, high importance, detected since `since`: the candidates for an immediate
 * alert. Such an incident is at most a day old, so still open: the hot set holds it.
 * Entries older than `since` are dropped as they are passed.
 */
export async function highImportanceSince(db: Db, tenant: string, since: Date): Promise<HighImportanceIncident[]> {
  const entries = await collection(db, HIGH_IMPORTANCE).find({ tenant }).toArray();
  const old = entries.filter((e) => (e.detectedAt as Date).getTime() < since.getTime()).map((e) => e._id);
  await deleteByIds(collection(db, HIGH_IMPORTANCE), old);
  const recent = entries.filter((e) => (e.detectedAt as Date).getTime() >= since.getTime()).map((e) => String(e._id));
  const docs = (await findIn(hot(db), '_id', recent))
    .filter((d) => d.importance === 'high' && !isArchivedState(d.state) && (d.detectedAt as Date).getTime() >= since.getTime())
    .sort((a, b) => a.number - b.number);
  if (docs.length === 0) return [];
  const told = await noticeRepositoryOf(db).existing(tenant, docs.map((d) => highImportanceHeadKey(d._id)));
  return docs.map((d) => ({
    number: d.number, network: d.network as string, topic: (d.topic as string | null) ?? null, location: (d.location as string | null) ?? null,
    state: d.state, stateLabel: d.stateLabel as string, detectedAt: d.detectedAt as Date, headNotified: told.has(highImportanceHeadKey(d._id)),
  }));
}
