import type { Store } from './connection.js';
import { noticeModel } from './models/notice.js';
import type { Recipient } from './bot-directory.js';

export interface ClaimedNotice {
  readonly id: string;
  readonly tenant: string;
  readonly incidentNumber: number | null;
  readonly to: Recipient;
  readonly kind: string;
  readonly text: string;
  readonly createdAt: Date;
  readonly attachment: string | null;
}

/**
 * Takes the oldest undelivered notice and marks it delivered in the same atomic update,
 * so that two bot processes never send the same notice twice (STYLE 7).
 */
export async function claimNotice(store: Store, now: Date): Promise<ClaimedNotice | null> {
  const doc = await noticeModel(store.connection)
    .findOneAndUpdate({ deliveredAt: null }, { $set: { deliveredAt: now } }, { sort: { createdAt: 1 }, new: true })
    .lean()
    .exec();
  if (!doc) return null;
  return {
    id: String(doc._id), tenant: doc.tenant, incidentNumber: doc.incidentNumber ?? null, to: doc.to as Recipient,
    kind: doc.kind, text: doc.text, createdAt: doc.createdAt, attachment: doc.attachment ?? null,
  };
}

/** Sending failed in transport: the notice goes back to the queue for the next round. */
export async function releaseNotice(store: Store, id: string, claimedAt: Date): Promise<void> {
  await noticeModel(store.connection).updateOne({ _id: id, deliveredAt: claimedAt }, { $set: { deliveredAt: null } }).exec();
}
