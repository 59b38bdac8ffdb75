import { createHash } from 'node:crypto';
import type { Decision } from '../workflow/incident-machine.js';
import { digestNewIncidents } from '../workflow/notice-digest.js';
import { collection, writeErrorsOf, type Db } from './db.js';
import type { NoticeRepository, StaffNotice, StoredNotice } from './port.js';
import { enqueue } from './work-queue.js';
import { findIn } from './key-lists.js';

/**
 * Notices for staff (the workflow's, the watcher's escalations, alerts, the monthly
 * report): each is a `notice` work item carrying the notice, claimed by the staff bot like
 * any other work, and a record in `notices` under an id derived from its key — the record
 * that makes a keyed notice happen once whatever retries the step, and that staff read in
 * Compass. Delivered records are never scanned.
 *
 * The notices of a classifier batch (one «new incident» per incident, hundreds a second
 * under load) are queued without a record at first: a retried batch makes no new incident
 * and so no notice again, and the bot writes the record when it delivers.
 */
export interface NoticeDelivery {
  readonly notice: string;
  /** The notice itself (the bot needs no second read); absent in items written before it was carried. */
  readonly content?: StaffNotice;
}

/** The key itself where it is short enough to read in Compass, else its digest. */
export function noticeId(key: string): string {
  return key.length <= 160 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export async function noticeOnce(db: Db, key: string, notice: StaffNotice): Promise<boolean> {
  return (await noticesOnce(db, [{ key, notice }])) === 1;
}

/**
 * Many notices in two round trips (the classifier's batch writes hundreds): their deliveries
 * queued first (intent first: a crash before the notices are written leaves items that find
 * nothing and are dropped, never a notice nobody delivers), then the notices, each once by
 * its key. Returns how many this call wrote.
 */
export async function noticesOnce(db: Db, entries: ReadonlyArray<{ readonly key: string; readonly notice: StaffNotice }>, options: { readonly record?: boolean } = {}): Promise<number> {
  if (entries.length === 0) return 0;
  const now = entries[0]!.notice.createdAt;
  const queued = await enqueue<NoticeDelivery>(db, 'notice', entries.map(({ key, notice }) => ({ tenant: notice.tenant, ref: noticeId(key), payload: { notice: noticeId(key), content: notice }, availableAt: notice.createdAt })), now);
  if (options.record === false) return queued;
  const docs = entries.map(({ key, notice }) => ({
    _id: noticeId(key), tenant: notice.tenant, incidentNumber: notice.incidentNumber, to: notice.to, kind: notice.kind, text: notice.text,
    createdAt: notice.createdAt, deliveredAt: null, attachment: notice.attachment ?? null,
  }));
  try {
    await collection(db, 'notices').insertMany(docs as never[], { ordered: false });
    return docs.length;
  } catch (error) {
    const errors = writeErrorsOf(error);
    if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw error;
    return docs.length - errors.length;
  }
}

/**
 * The notices decisions ask for, written once per incident revision whatever retries the
 * step. With `digest` (a classifier batch), many «new incident» notices become one
 * (workflow/notice-digest.ts), keyed by the batch's first number and size.
 */
export async function writeDecisionNotices(
  db: Db,
  tenant: string,
  decisions: ReadonlyArray<{ readonly incidentId: string; readonly number: number; readonly revision: number; readonly decision: Decision }>,
  options: { readonly record?: boolean; readonly digest?: boolean } = {},
): Promise<void> {
  const all = decisions.flatMap(({ incidentId, number, revision, decision }) => decision.notices.map((notice, i) => ({
    number, notice, at: decision.at, high: decision.set.importance === 'high',
    // The head hears of a high-importance incident once, whichever step told (the alerts look for this key).
    key: notice.kind === 'high-importance' && 'role' in notice.to && notice.to.role === 'head' ? highImportanceHeadKey(incidentId) : `decision:${incidentId}:${revision}:${i}`,
  })));
  if (all.length === 0) return;
  const { single, digest } = options.digest ? digestNewIncidents(all) : { single: all, digest: null };
  const entries: Array<{ key: string; notice: StaffNotice }> = single.map((e) => ({ key: e.key, notice: { tenant, incidentNumber: e.number, to: e.notice.to, kind: e.notice.kind, text: e.notice.text, createdAt: e.at } }));
  if (digest) {
    entries.push({
      key: `new-incidents:${tenant}:${digest.numbers[0]}:${digest.numbers.length}`,
      notice: { tenant, incidentNumber: null, to: digest.notice.to, kind: digest.notice.kind, text: digest.notice.text, createdAt: all[0]!.at },
    });
  }
  await noticesOnce(db, entries, options);
}

export function highImportanceHeadKey(incidentId: string): string {
  return `high-importance-head:${incidentId}`;
}

export async function getNotice(db: Db, id: string): Promise<StoredNotice | null> {
  const d = await collection(db, 'notices').findOne({ _id: id as never });
  if (!d) return null;
  return {
    id: String(d._id), tenant: d.tenant as string, incidentNumber: (d.incidentNumber as number | null) ?? null, to: d.to as StaffNotice['to'],
    kind: d.kind as string, text: d.text as string, createdAt: d.createdAt as Date, deliveredAt: (d.deliveredAt as Date | null) ?? null,
    attachment: (d.attachment as string | null) ?? null,
  };
}

export function noticeRepositoryOf(db: Db): NoticeRepository {
  return {
    once: (key, notice) => noticeOnce(db, key, notice),
    get: (id) => getNotice(db, id),
    markDelivered: async (id, at, notice) => {
      // The record of a notice queued without one (a classifier batch's) is written now.
      await collection(db, 'notices').updateOne(
        { _id: id as never },
        { $set: { deliveredAt: at }, ...(notice ? { $setOnInsert: { tenant: notice.tenant, incidentNumber: notice.incidentNumber, to: notice.to, kind: notice.kind, text: notice.text, createdAt: notice.createdAt, attachment: notice.attachment ?? null } } : {}) },
        { upsert: notice !== undefined },
      );
    },
    existing: async (tenant, keys) => {
      if (keys.length === 0) return new Set();
      const byId = new Map(keys.map((k) => [noticeId(k), k]));
      const recorded = await findIn(collection(db, 'notices'), '_id', [...byId.keys()], { projection: { _id: 1 } });
      // Queued and not yet delivered: the item's id is the tenant and the notice's id.
      const queued = await findIn(collection(db, 'work.notice'), '_id', [...byId.keys()].map((id) => `${tenant}:${id}`), { projection: { ref: 1 } });
      return new Set([...recorded.map((d) => byId.get(String(d._id))!), ...queued.map((d) => byId.get(String(d.ref))!)]);
    },
  };
}
