import type { NormalizedMessage } from '../connectors/types.js';
import { archive, hot, type IncidentDoc } from './archive.js';
import type { Db } from './db.js';
import { incidentKey } from './ids.js';
import { getMessages } from './messages.js';
import type { PublicationAttemptRecord, PublicationRepository, StoredIncident } from './port.js';
import { publishAttemptLogOf } from './publish-attempts.js';
import { touchInboxEntry } from './inbox.js';
import { enqueue } from './work-queue.js';

/**
 * What the publisher needs from the store: its work queue entries, the record of each
 * attempt on the incident, and the message to answer. Writes to the incident are fenced
 * by its key, state and revision (the unique index's exact keys) without bumping the
 * revision: a record of an attempt is not a change staff decide on.
 */
export interface PublishPayload {
  readonly number: number;
  /** The approved draft: its id is the answer id the networks' idempotency keys derive from. */
  readonly draftId: string;
}

/** One item per approved draft: a later draft of the same incident (the final answer after an interim one) is its own item. */
export function publishRef(number: number, draftId: string): string {
  return `${number}:${draftId}`;
}

export async function enqueuePublish(db: Db, items: ReadonlyArray<{ tenant: string } & PublishPayload>, now: Date): Promise<number> {
  return enqueue<PublishPayload>(db, 'publish', items.map((i) => ({ tenant: i.tenant, ref: publishRef(i.number, i.draftId), payload: { number: i.number, draftId: i.draftId } })), now);
}

function fence(incident: StoredIncident) {
  return { _id: incident.id, state: incident.state, revision: incident.revision };
}

async function target(db: Db, incident: StoredIncident) {
  const inHot = await hot(db).findOne({ _id: incident.id }, { projection: { _id: 1 } });
  return inHot ? hot(db) : archive(db, incident.tenant, (incident as unknown as { archiveMonth: string }).archiveMonth);
}

/** Written before the network call: an attempt cut off by a crash is on record without an end. Returns its position. */
export async function recordAttemptStart(db: Db, incident: StoredIncident, attempt: PublicationAttemptRecord): Promise<number> {
  const c = await target(db, incident);
  const before = await c.findOneAndUpdate(fence(incident), { $push: { 'publication.attempts': attempt } } as never, { returnDocument: 'before', projection: { publication: 1 } });
  return ((before?.publication as { attempts?: unknown[] } | undefined)?.attempts ?? incident.publication.attempts).length;
}

export async function recordAttemptEnd(
  db: Db,
  incident: StoredIncident,
  position: number,
  started: Pick<PublicationAttemptRecord, 'idempotencyKey' | 'startedAt'>,
  end: Pick<PublicationAttemptRecord, 'finishedAt' | 'outcome' | 'externalId' | 'error'>,
): Promise<void> {
  const at = `publication.attempts.${position}`;
  const c = await target(db, incident);
  // Read by key, checked here: a filter on the entry's fields would make the store scan.
  const current = await c.findOne(fence(incident), { projection: { publication: 1 } });
  const entry = (current?.publication as { attempts?: PublicationAttemptRecord[] } | undefined)?.attempts?.[position];
  if (!entry || entry.idempotencyKey !== started.idempotencyKey || new Date(entry.startedAt).getTime() !== started.startedAt.getTime()) return;
  await c.updateOne(fence(incident), { $set: { [`${at}.finishedAt`]: end.finishedAt, [`${at}.outcome`]: end.outcome, [`${at}.externalId`]: end.externalId, [`${at}.error`]: end.error } } as never);
}

/**
 * The attempt's result cannot be known (a Telegram send that timed out): a person checks
 * the chat. Marked on the incident so neither the publisher nor the watcher's re-enqueue
 * ever posts it again.
 */
export async function handToPerson(db: Db, incident: StoredIncident, reason: string, now: Date): Promise<void> {
  const c = await target(db, incident);
  const current = await c.findOne({ _id: incident.id });
  if (!current || (current.publication as { manualCheck?: unknown } | undefined)?.manualCheck) return;
  const result = await c.updateOne({ _id: current._id, state: current.state, revision: current.revision }, { $set: { 'publication.manualCheck': { at: now, reason } } } as never);
  // «требует внимания человека» in the inbox.
  if (result.matchedCount === 1) await touchInboxEntry(db, current._id, current.revision, { manualCheck: true });
}

/**
 * 004 [3.5]: an answer of interest to everyone (plans, announcements, opening hours) is
 * also posted on the official pages and site. The curator flags it; the publisher then
 * reminds the curator to post it once the answer is out.
 */
export async function flagPublicInterest(db: Db, tenant: string, number: number, flag: boolean): Promise<boolean> {
  const id = incidentKey(tenant, number);
  const inHot = await hot(db).findOne({ _id: id });
  const doc: IncidentDoc | null = inHot;
  if (!doc) return false;
  const result = await hot(db).updateOne({ _id: doc._id, state: doc.state, revision: doc.revision }, { $set: { 'publication.publicInterest': flag } } as never);
  return result.matchedCount === 1;
}

/** The stored message in the connectors' shape, and the account it came through. */
export async function loadMessageToAnswer(db: Db, messageId: string): Promise<{ message: NormalizedMessage; account: string } | null> {
  const [m] = await getMessages(db, [messageId]);
  if (!m) return null;
  const { id: _id, tenant: _tenant, account, fetchedAt: _fetched, ...message } = m;
  return { message: { ...message, raw: null }, account };
}

export function publicationRepositoryOf(db: Db): PublicationRepository {
  return {
    attemptLog: publishAttemptLogOf(db),
    enqueue: (items, now) => enqueuePublish(db, items, now),
    attemptStarted: (incident, attempt) => recordAttemptStart(db, incident, attempt),
    attemptEnded: (incident, position, started, end) => recordAttemptEnd(db, incident, position, started, end),
    handToPerson: (incident, reason, now) => handToPerson(db, incident, reason, now),
    flagPublicInterest: (tenant, number, flag) => flagPublicInterest(db, tenant, number, flag),
    messageToAnswer: (messageId) => loadMessageToAnswer(db, messageId),
  };
}

