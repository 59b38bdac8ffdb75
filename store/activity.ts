import { collection, type Db } from './db.js';
import type { KeyCount, SurgeKey } from './report-types.js';
import { fieldName, fromFieldName } from './sanitize.js';
import { findIn } from './key-lists.js';

/**
 * Messages per tenant and UTC hour, counted as the classifier stores their incidents: the
 * surge alerts (003 [13]) compare a few hours against 28 days, and reading 700 counters by
 * `_id` costs the same at any size of the store, where an aggregation over 28 days of
 * incidents grew with them. Counts follow the classifier's topic and place (what is known
 * at once); a crash between storing a batch and counting it leaves that batch uncounted,
 * which makes a surge a little less likely to be called, never a false one.
 */
export interface ActivityRecord {
  readonly detectedAt: Date;
  readonly number: number;
  readonly rejected: boolean;
  readonly topic: string | null;
  readonly location: string | null;
}

const HOUR_MS = 3_600_000;
/** Numbers kept per key and hour for the alert's text; a surge names its first incidents. */
const NUMBERS_PER_KEY = 50;

function hourStart(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

function bucketId(tenant: string, hour: Date): string {
  return `${tenant}:${hour.toISOString().slice(0, 13)}`;
}

export async function recordActivity(db: Db, tenant: string, records: readonly ActivityRecord[]): Promise<void> {
  if (records.length === 0) return;
  const byHour = new Map<string, { hour: Date; inc: Record<string, number>; push: Record<string, number[]> }>();
  for (const r of records) {
    const hour = hourStart(r.detectedAt);
    const id = bucketId(tenant, hour);
    const bucket = byHour.get(id) ?? { hour, inc: {}, push: {} };
    bucket.inc.total = (bucket.inc.total ?? 0) + 1;
    if (!r.rejected) {
      for (const [key, value] of [['topic', r.topic], ['location', r.location]] as const) {
        if (value === null) continue;
        const field = fieldName(value);
        const path = `${key === 'topic' ? 'topics' : 'locations'}.${field}`;
        bucket.inc[path] = (bucket.inc[path] ?? 0) + 1;
        const list = bucket.push[`numbers.${key}:${field}`] ?? [];
        list.push(r.number);
        bucket.push[`numbers.${key}:${field}`] = list;
      }
    }
    byHour.set(id, bucket);
  }
  await collection(db, 'activity').bulkWrite(
    [...byHour.entries()].map(([id, b]) => ({
      updateOne: {
        filter: { _id: id as never },
        update: {
          $inc: b.inc,
          $push: Object.fromEntries(Object.entries(b.push).map(([path, numbers]) => [path, { $each: numbers, $slice: NUMBERS_PER_KEY }])),
          $setOnInsert: { tenant, hour: b.hour },
        } as never,
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

interface Bucket {
  hour: Date;
  total: number;
  topics: Record<string, number>;
  locations: Record<string, number>;
  numbers: Record<string, number[]>;
}

/** The hour buckets in [from, to), read by their ids. */
async function buckets(db: Db, tenant: string, from: Date, to: Date): Promise<Bucket[]> {
  const ids: string[] = [];
  for (let t = hourStart(from).getTime(); t < to.getTime(); t += HOUR_MS) ids.push(bucketId(tenant, new Date(t)));
  if (ids.length === 0) return [];
  const docs = await findIn(collection(db, 'activity'), '_id', ids);
  return docs.map((d) => ({
    hour: d.hour as Date, total: (d.total as number | undefined) ?? 0,
    topics: (d.topics as Record<string, number> | undefined) ?? {}, locations: (d.locations as Record<string, number> | undefined) ?? {},
    numbers: (d.numbers as Record<string, number[]> | undefined) ?? {},
  }));
}

/** Messages taken into work (not rejected) per topic or location, detected in [from, to), by whole hours. */
export async function countsByKey(db: Db, tenant: string, key: SurgeKey, from: Date, to: Date, withNumbers: boolean): Promise<KeyCount[]> {
  const counts = new Map<string, { count: number; numbers: number[] }>();
  for (const b of await buckets(db, tenant, from, to)) {
    for (const [field, n] of Object.entries(key === 'topic' ? b.topics : b.locations)) {
      const entry = counts.get(field) ?? { count: 0, numbers: [] };
      entry.count += n;
      if (withNumbers) entry.numbers.push(...(b.numbers[`${key}:${field}`] ?? []));
      counts.set(field, entry);
    }
  }
  return [...counts.entries()]
    .map(([field, c]) => ({ value: fromFieldName(field), count: c.count, numbers: [...c.numbers].sort((a, b) => a - b) }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** The tenant's messages (all of them) by hour of day in its time zone, [from, to): 24 counts. */
export async function countsByHourOfDay(db: Db, tenant: string, from: Date, to: Date, timeZone: string): Promise<number[]> {
  const counts = new Array<number>(24).fill(0);
  const hourOf = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
  for (const b of await buckets(db, tenant, from, to)) counts[Number(hourOf.format(b.hour)) % 24]! += b.total;
  return counts;
}
