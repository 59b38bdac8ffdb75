import type { Store } from './connection.js';
import type { Recipient } from './bot-directory.js';
import { incidentModel } from './models/incident.js';
import { noticeModel } from './models/notice.js';
import { reportEventModel } from './models/report-event.js';

/**
 * The reports worker's writes and the queries its alerts need (003 [13]): records that
 * make each report and alert happen once, and notices for the staff bot to deliver.
 */

const DUPLICATE_KEY = 11000;

/**
 * Records `key` for the tenant unless it is recorded already; true for the one caller
 * that created it. An upsert with only $setOnInsert, backed by the unique index: two
 * workers racing both upsert, one inserts, the other matches (or hits the index) and
 * gets false (the store contract suite checks exactly this on both servers).
 */
export async function recordOnce(store: Store, tenant: string, key: string, kind: string, detail: unknown, now: Date): Promise<boolean> {
  try {
    const result = await reportEventModel(store.connection).updateOne(
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
export async function forgetRecord(store: Store, tenant: string, key: string): Promise<void> {
  await reportEventModel(store.connection).deleteOne({ tenant, key }).exec();
}

export async function hasRecord(store: Store, tenant: string, key: string): Promise<boolean> {
  return (await reportEventModel(store.connection).countDocuments({ tenant, key }).exec()) > 0;
}

export interface NewNotice {
  readonly to: Recipient;
  readonly kind: string;
  readonly text: string;
  readonly incidentNumber?: number | null;
  /** A file the staff bot sends along (the monthly report). */
  readonly attachment?: string | null;
}

export async function addNotices(store: Store, tenant: string, notices: readonly NewNotice[], now: Date): Promise<void> {
  if (notices.length === 0) return;
  await noticeModel(store.connection).insertMany(notices.map((n) => ({
    tenant, incidentNumber: n.incidentNumber ?? null, to: n.to, kind: n.kind, text: n.text, createdAt: now, deliveredAt: null, attachment: n.attachment ?? null,
  })));
}

export interface HighImportanceIncident {
  readonly number: number;
  readonly network: string;
  readonly topic: string | null;
  readonly location: string | null;
  readonly state: string;
  readonly stateLabel: string;
  readonly detectedAt: Date;
  /** The head already has the workflow's own «повышенной важности» notice for it. */
  readonly headNotified: boolean;
}

/** Not rejected, high importance, detected since `since`: the candidates for an immediate alert. */
export async function highImportanceSince(store: Store, tenant: string, since: Date): Promise<HighImportanceIncident[]> {
  const docs = await incidentModel(store.connection)
    .find({ tenant, importance: 'high', state: { $ne: 'rejected' }, detectedAt: { $gte: since } }, { number: 1, network: 1, topic: 1, location: 1, state: 1, stateLabel: 1, detectedAt: 1 })
    .sort({ number: 1 })
    .lean()
    .exec();
  if (docs.length === 0) return [];
  const notified = await noticeModel(store.connection)
    .find({ tenant, kind: 'high-importance', incidentNumber: { $in: docs.map((d) => d.number) } }, { incidentNumber: 1, to: 1 })
    .lean()
    .exec();
  const headNotified = new Set(notified.filter((n) => (n.to as { role?: string }).role === 'head').map((n) => n.incidentNumber));
  return docs.map((d) => ({
    number: d.number, network: d.network, topic: d.topic ?? null, location: d.location ?? null, state: d.state, stateLabel: d.stateLabel,
    detectedAt: d.detectedAt, headNotified: headNotified.has(d.number),
  }));
}

export type SurgeKey = 'topic' | 'location';

export interface KeyCount {
  readonly value: string;
  readonly count: number;
  readonly numbers: number[];
}

/** Messages taken into work (not rejected) per topic or location, detected in [from, to). */
export async function countsByKey(store: Store, tenant: string, key: SurgeKey, from: Date, to: Date, withNumbers: boolean): Promise<KeyCount[]> {
  const rows = await incidentModel(store.connection).aggregate<{ _id: string; count: number; numbers?: number[] }>([
    { $match: { tenant, detectedAt: { $gte: from, $lt: to }, state: { $ne: 'rejected' }, [key]: { $ne: null } } },
    { $group: { _id: `$${key}`, count: { $sum: 1 }, ...(withNumbers ? { numbers: { $push: '$number' } } : {}) } },
    { $sort: { count: -1 } },
  ]).exec();
  return rows.map((r) => ({ value: r._id, count: r.count, numbers: [...(r.numbers ?? [])].sort((a, b) => a - b) }));
}

/** The tenant's messages (all of them) by hour of day in its time zone, [from, to): 24 counts. */
export async function countsByHourOfDay(store: Store, tenant: string, from: Date, to: Date, timeZone: string): Promise<number[]> {
  const rows = await incidentModel(store.connection).aggregate<{ _id: string; count: number }>([
    { $match: { tenant, detectedAt: { $gte: from, $lt: to } } },
    { $group: { _id: { $dateToString: { format: '%H', date: '$detectedAt', timezone: timeZone } }, count: { $sum: 1 } } },
  ]).exec();
  const counts = new Array<number>(24).fill(0);
  for (const r of rows) counts[Number(r._id)] = r.count;
  return counts;
}
