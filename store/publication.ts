import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { NormalizedMessage } from '../connectors/types.js';
import type { Store } from './connection.js';
import { incidentModel } from './models/incident.js';
import { messageModel } from './models/message.js';
import { noticeModel } from './models/notice.js';
import { enqueueWork } from './work-queue.js';

/**
 * What the publisher needs from the store: its work queue entries, the record of each
 * attempt on the incident, the message to answer, and staff notices that are written
 * once however often the step that makes them is retried.
 */
export const PUBLISH_WORK = 'publish';

export interface PublishPayload {
  readonly number: number;
  /** The approved draft: its id is the answer id the networks' idempotency keys derive from. */
  readonly draftId: string;
}

/** One item per approved draft: a later draft of the same incident (the final answer after an interim one) is its own item. */
export function publishRef(number: number, draftId: string): string {
  return `${number}:${draftId}`;
}

export async function enqueuePublish(store: Store, items: ReadonlyArray<{ tenant: string } & PublishPayload>, now: Date): Promise<number> {
  return enqueueWork(store, items.map((i) => ({ kind: PUBLISH_WORK, tenant: i.tenant, ref: publishRef(i.number, i.draftId), payload: { number: i.number, draftId: i.draftId } })), now);
}

/** As in store/models/incident.ts `publicationAttemptSchema`. */
export interface PublicationAttemptRecord {
  readonly draftId: string;
  /** 'public' (the reply in place) or 'private' (the fallback message to the author). */
  readonly channel: 'public' | 'private';
  /** What the network's key derives from: the answer id, or `<answer id>:private` for the fallback. */
  readonly idempotencyKey: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  /** The connector's result status: published | blocked | retryable | config | uncertain. */
  readonly outcome: string | null;
  readonly externalId: string | null;
  /** The API's error as the connector recorded it (network, method, code, description), or a transport message. */
  readonly error: unknown;
}

const incidents = (store: Store) => store.connection.db!.collection(incidentModel(store.connection).collection.name);

/**
 * Written before the network call, so an attempt cut off by a crash is on record without
 * an end. Returns the attempt's position, which its end is written to (mongo-java-server
 * has no positional `$` after `$elemMatch`; a position with the entry's own key and start
 * in the filter is as exact).
 */
export async function recordAttemptStart(store: Store, incidentId: Types.ObjectId, attempt: PublicationAttemptRecord): Promise<number> {
  const before = await incidents(store).findOneAndUpdate(
    { _id: incidentId },
    { $push: { 'publication.attempts': attempt } } as never,
    { returnDocument: 'before', projection: { 'publication.attempts': 1 } },
  );
  return ((before?.publication as { attempts?: unknown[] } | undefined)?.attempts ?? []).length;
}

export async function recordAttemptEnd(
  store: Store,
  incidentId: Types.ObjectId,
  position: number,
  started: Pick<PublicationAttemptRecord, 'idempotencyKey' | 'startedAt'>,
  end: Pick<PublicationAttemptRecord, 'finishedAt' | 'outcome' | 'externalId' | 'error'>,
): Promise<void> {
  const at = `publication.attempts.${position}`;
  await incidents(store).updateOne(
    { _id: incidentId, [`${at}.idempotencyKey`]: started.idempotencyKey, [`${at}.startedAt`]: started.startedAt } as never,
    { $set: { [`${at}.finishedAt`]: end.finishedAt, [`${at}.outcome`]: end.outcome, [`${at}.externalId`]: end.externalId, [`${at}.error`]: end.error } } as never,
  );
}

/**
 * The attempt's result cannot be known (a Telegram send that timed out): a person checks
 * the chat. Marked on the incident so neither the publisher nor the watcher's re-enqueue
 * ever posts it again.
 */
export async function handToPerson(store: Store, incidentId: Types.ObjectId, reason: string, now: Date): Promise<void> {
  await incidents(store).updateOne({ _id: incidentId, 'publication.manualCheck': { $in: [null] } } as never, { $set: { 'publication.manualCheck': { at: now, reason } } } as never);
}

/**
 * 004 [3.5]: an answer of interest to everyone (plans, announcements, opening hours) is
 * also posted on the official pages and site. The curator flags it; the publisher then
 * reminds the curator to post it once the answer is out.
 */
export async function flagPublicInterest(store: Store, tenant: string, number: number, flag: boolean): Promise<boolean> {
  const result = await incidents(store).updateOne({ tenant, number }, { $set: { 'publication.publicInterest': flag } } as never);
  return result.matchedCount === 1;
}

/** The stored message in the connectors' shape, and the account it came through. */
export async function loadMessageToAnswer(store: Store, messageId: Types.ObjectId): Promise<{ message: NormalizedMessage; account: string } | null> {
  const m = await messageModel(store.connection).findOne({ _id: messageId }).lean().exec();
  if (!m) return null;
  const message: NormalizedMessage = {
    network: m.network, externalId: m.externalId, kind: m.kind, place: m.place as NormalizedMessage['place'],
    author: { id: m.author!.id, name: m.author!.name ?? '', ...(m.author!.profileUrl ? { profileUrl: m.author!.profileUrl } : {}), anonymous: m.author!.anonymous ?? false },
    text: m.text ?? '', attachments: (m.attachments ?? []) as unknown as NormalizedMessage['attachments'], createdAt: m.createdAt,
    matchedKeywords: m.matchedKeywords ?? [], raw: null,
  };
  return { message, account: m.account ?? '' };
}

export interface StaffNotice {
  readonly tenant: string;
  readonly incidentNumber: number | null;
  readonly to: { readonly role: 'curator' | 'head' } | { readonly staff: string };
  readonly kind: string;
  /** Russian, for the staff bot. */
  readonly text: string;
  readonly createdAt: Date;
}

/**
 * Writes a notice once per `key`: its id is derived from the key, so a step retried after
 * a crash, or the same step run by two workers, finds it there and adds nothing. True when
 * this call wrote it.
 */
export async function noticeOnce(store: Store, key: string, notice: StaffNotice): Promise<boolean> {
  const _id = new Types.ObjectId(createHash('sha256').update(key).digest('hex').slice(0, 24));
  try {
    await store.connection.db!.collection(noticeModel(store.connection).collection.name).insertOne({ _id, ...notice, deliveredAt: null } as never);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}
