import { createHash } from 'node:crypto';
import { archive, hot, tenantMonths, type IncidentDoc } from './archive.js';
import type { Db } from './db.js';
import { collection } from './db.js';
import type { AuthorData, AuthorRef, ErasureCounts, IncidentRead } from './port.js';
import { readsOf } from './read-register.js';

/**
 * Authors' personal data (issue 12 point 10; 004 [1.4], 152-ФЗ): what is held about one
 * author, its erasure on request, and its anonymisation after the tenant's retention
 * period. Erasure replaces, never deletes: the message stays under its key and the incident
 * with its dates, topic, place, terms and answers, so the reports' figures do not change;
 * the author's id becomes a pseudonym, the same for all their messages, so a repeat author
 * is still counted once. The staff's answers are the administration's records and stay.
 *
 * Finding an author's messages reads the tenant's messages whole (the embedded server has
 * no index on the author): an admin's request, rare, not a hot path.
 */
export const ERASED_NAME = '[удалено]';
export const ERASED_TEXT = '[текст удалён: персональные данные]';

interface MessageDoc {
  _id: string;
  tenant: string;
  network: string;
  author: { id: string; name?: string; profileUrl?: string | null; anonymous?: boolean };
  text?: string;
  fetchedAt: Date;
  erasedAt?: Date;
  [field: string]: unknown;
}

interface RetentionDoc {
  _id: string;
  days: number | null;
}

const messages = (db: Db) => collection<MessageDoc>(db, 'messages');
const retention = (db: Db) => collection<RetentionDoc>(db, 'personalDataRetention');

/** Stable per tenant, network and id, and not reversible without the id itself. */
export function pseudonym(author: AuthorRef): string {
  return `erased-${createHash('sha256').update(`${author.tenant}\u0000${author.network}\u0000${author.authorId}`).digest('hex').slice(0, 16)}`;
}

export async function retentionDays(db: Db, tenant: string): Promise<number | null> {
  return (await retention(db).findOne({ _id: tenant }))?.days ?? null;
}

export async function setRetentionDays(db: Db, tenant: string, days: number | null): Promise<void> {
  if (days !== null && (!Number.isInteger(days) || days < 1)) throw new RangeError(`retention days must be a whole number from 1, got ${days}`);
  await retention(db).updateOne({ _id: tenant }, { $set: { days } }, { upsert: true });
}

/** The incident made of a message, open or archived: by the unique `message` index of each collection. */
async function incidentOf(db: Db, message: MessageDoc): Promise<{ doc: IncidentDoc; open: boolean; month: string | null } | null> {
  const open = await hot(db).findOne({ message: message._id });
  if (open) return { doc: open, open: true, month: null };
  // Newest month first: a message is archived in the month it was detected, near when it was fetched.
  for (const month of (await tenantMonths(db, message.tenant)).reverse()) {
    const doc = await (await archive(db, message.tenant, month)).findOne({ message: message._id });
    if (doc) return { doc, open: false, month };
  }
  return null;
}

async function authorMessages(db: Db, author: AuthorRef): Promise<MessageDoc[]> {
  return messages(db).find({ tenant: author.tenant, network: author.network, 'author.id': author.authorId }).toArray();
}

export async function exportAuthor(db: Db, author: AuthorRef): Promise<AuthorData> {
  const found = await authorMessages(db, author);
  const incidents: IncidentDoc[] = [];
  for (const message of found) {
    const incident = await incidentOf(db, message);
    if (incident) incidents.push(incident.doc);
  }
  incidents.sort((a, b) => a.number - b.number);
  const reads: IncidentRead[] = [];
  for (const incident of incidents) reads.push(...(await readsOf(db, author.tenant, incident.number)));
  return { author, messages: found.sort((a, b) => a._id.localeCompare(b._id)), incidents, reads };
}

/** The message and its incident without the author's data; the incident only once it is closed, when `closedOnly`. */
async function eraseMessage(db: Db, message: MessageDoc, author: AuthorRef, now: Date, closedOnly: boolean): Promise<{ message: number; incident: number; inbox: number } | null> {
  const incident = await incidentOf(db, message);
  // An open incident is still being answered: the retention period waits for it to close.
  if (closedOnly && incident?.open) return null;
  const alias = pseudonym(author);
  let counts = { message: 0, incident: 0, inbox: 0 };
  if (incident) {
    const target = incident.open ? hot(db) : await archive(db, message.tenant, incident.month!);
    // The incident keeps its figures; only who wrote it goes. No revision change: nothing a person acts on changed.
    counts.incident = (await target.updateOne({ _id: incident.doc._id }, { $set: { authorId: alias, personalDataErasedAt: now } })).modifiedCount;
    if (incident.open) {
      counts.inbox = (await collection(db, 'inbox').updateOne({ _id: incident.doc._id } as never, { $set: { preview: ERASED_TEXT, search: '' } })).modifiedCount;
    }
  }
  const erased = await messages(db).updateOne(
    { _id: message._id },
    { $set: { 'author.id': alias, 'author.name': ERASED_NAME, 'author.profileUrl': null, text: ERASED_TEXT, attachments: [], raw: null, erasedAt: now } },
  );
  counts = { ...counts, message: erased.modifiedCount };
  return counts;
}

export async function eraseAuthor(db: Db, author: AuthorRef, now: Date): Promise<ErasureCounts> {
  const totals = { messages: 0, incidents: 0, inboxEntries: 0, putAside: 0 };
  for (const message of await authorMessages(db, author)) {
    const counts = (await eraseMessage(db, message, author, now, false))!;
    totals.messages += counts.message;
    totals.incidents += counts.incident;
    totals.inboxEntries += counts.inbox;
  }
  // The repeat index keeps the author's id beside each text's sketch (no text): it gets the
  // same pseudonym, so a later repeat still weighs "same author"; classifiers read it at their next start.
  const alias = pseudonym(author);
  for (const chunk of await collection(db, 'repeatLog').find({ tenant: author.tenant, 'entries.entry.author': author.authorId }).toArray()) {
    const entries = (chunk.entries as Array<{ entry: { author?: string } }>).map((e) => (e.entry.author === author.authorId ? { ...e, entry: { ...e.entry, author: alias } } : e));
    await collection(db, 'repeatLog').updateOne({ _id: chunk._id }, { $set: { entries } });
  }
  return totals;
}

export async function anonymiseBefore(db: Db, tenant: string, before: Date, now: Date, limit: number): Promise<ErasureCounts & { more: boolean }> {
  const totals = { messages: 0, incidents: 0, inboxEntries: 0, putAside: 0 };
  let more = false;
  // Messages whose incident is still open are passed over and met again next run; at most `limit` are erased per call.
  for await (const message of messages(db).find({ tenant, fetchedAt: { $lt: before }, erasedAt: { $exists: false } })) {
    if (totals.messages >= limit) {
      more = true;
      break;
    }
    const author = { tenant, network: message.network, authorId: message.author.id };
    const counts = await eraseMessage(db, message, author, now, true);
    if (!counts) continue;
    totals.messages += counts.message;
    totals.incidents += counts.incident;
    totals.inboxEntries += counts.inbox;
  }
  // Payloads a connector could not read hold whatever the network sent: kept for a developer only until then.
  totals.putAside = (await collection(db, 'malformedPayloads').deleteMany({ tenant, at: { $lt: before } })).deletedCount;
  return { ...totals, more };
}
