import { createHash } from 'node:crypto';
import type { Decision } from '../workflow/incident-machine.js';
import { collection, isDuplicateKey, type Db } from './db.js';
import type { NoticeRepository, StaffNotice, StoredNotice } from './port.js';
import { enqueue } from './work-queue.js';

/**
 * Notices for staff (the workflow's, the watcher's escalations, alerts, the monthly
 * report): each is written once under an id derived from its key, and its delivery is a
 * `notice` work item that the staff bot claims like any other work — so delivered notices
 * stay in `notices` for the record without anyone scanning them.
 */
export interface NoticeDelivery {
  readonly notice: string;
}

/** The key itself where it is short enough to read in Compass, else its digest. */
export function noticeId(key: string): string {
  return key.length <= 160 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export async function noticeOnce(db: Db, key: string, notice: StaffNotice): Promise<boolean> {
  const id = noticeId(key);
  // The delivery first (intent first): a crash before the notice is written leaves an item
  // that finds nothing and is dropped, never a notice nobody delivers.
  await enqueue<NoticeDelivery>(db, 'notice', [{ tenant: notice.tenant, ref: id, payload: { notice: id }, availableAt: notice.createdAt }], notice.createdAt);
  try {
    await collection(db, 'notices').insertOne({
      _id: id as never, tenant: notice.tenant, incidentNumber: notice.incidentNumber, to: notice.to, kind: notice.kind, text: notice.text,
      createdAt: notice.createdAt, deliveredAt: null, attachment: notice.attachment ?? null,
    });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** The notices a decision asks for, written once per incident revision whatever retries the step. */
export async function writeDecisionNotices(
  db: Db,
  tenant: string,
  decisions: ReadonlyArray<{ readonly incidentId: string; readonly number: number; readonly revision: number; readonly decision: Decision }>,
): Promise<void> {
  for (const { incidentId, number, revision, decision } of decisions) {
    for (const [i, n] of decision.notices.entries()) {
      // The head hears of a high-importance incident once, whichever step told (the alerts look for this key).
      const key = n.kind === 'high-importance' && 'role' in n.to && n.to.role === 'head' ? highImportanceHeadKey(incidentId) : `decision:${incidentId}:${revision}:${i}`;
      await noticeOnce(db, key, { tenant, incidentNumber: number, to: n.to, kind: n.kind, text: n.text, createdAt: decision.at });
    }
  }
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
    markDelivered: async (id, at) => {
      await collection(db, 'notices').updateOne({ _id: id as never }, { $set: { deliveredAt: at } });
    },
    existing: async (keys) => {
      if (keys.length === 0) return new Set();
      const byId = new Map(keys.map((k) => [noticeId(k), k]));
      const docs = await collection(db, 'notices').find({ _id: { $in: [...byId.keys()] as never[] } }, { projection: { _id: 1 } }).toArray();
      return new Set(docs.map((d) => byId.get(String(d._id))!));
    },
  };
}
