import { createHash } from 'node:crypto';
import type { RejectedPayload } from '../connectors/connector.js';
import type { NormalizedMessage } from '../connectors/types.js';
import { collection, writeErrorsOf, type Db } from './db.js';
import { messageKey } from './ids.js';
import type { IngestCounts, MessageRepository, StoredMessage } from './port.js';
import { escapeKeys, unescapeKeys } from './sanitize.js';
import { enqueue } from './work-queue.js';
import { findIn } from './key-lists.js';

/** What one classify work item carries: the keys of the messages of one fetched batch. */
export interface ClassifyPayload {
  readonly messages: readonly string[];
}

interface MessageDoc {
  _id: string;
  tenant: string;
  network: NormalizedMessage['network'];
  account: string;
  externalId: string;
  kind: NormalizedMessage['kind'];
  place: unknown;
  author: NormalizedMessage['author'];
  text: string;
  attachments: NormalizedMessage['attachments'];
  createdAt: Date;
  fetchedAt: Date;
  matchedKeywords: readonly string[];
  raw: unknown;
  incident?: number | null;
}

const messages = (db: Db) => collection<MessageDoc>(db, 'messages');

/**
 * Stores fetched messages once each: the key `tenant:network:externalId` is the `_id`, so a
 * re-fetch (after a crash between storing and saving the cursor) gives duplicate-key
 * errors that are counted and dropped, never a second incident. The batch's classification
 * is queued first, as one work item (intent first): a crash before the insert leaves an item
 * that finds no messages and is dropped, never a stored message that nobody classifies.
 */
export async function ingestMessages(db: Db, tenant: string, batch: readonly NormalizedMessage[], account = '', now = new Date()): Promise<IngestCounts> {
  if (batch.length === 0) return { inserted: 0, duplicates: 0 };
  const keys = batch.map((m) => messageKey(tenant, m.network, m.externalId));
  // The item's id is the batch's content: the same batch fetched again is queued once.
  const digest = createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 20);
  await enqueue<ClassifyPayload>(db, 'classify', [{ tenant, ref: `${batch[0]!.network}:${account}:${digest}`, payload: { messages: keys } }], now);
  const docs: MessageDoc[] = batch.map((m, i) => ({
    _id: keys[i]!, tenant, network: m.network, account, externalId: m.externalId, kind: m.kind,
    place: escapeKeys(m.place), author: m.author, text: m.text, attachments: m.attachments,
    createdAt: m.createdAt, fetchedAt: now, matchedKeywords: m.matchedKeywords, raw: escapeKeys(m.raw),
  }));
  try {
    await messages(db).insertMany(docs, { ordered: false });
    return { inserted: docs.length, duplicates: 0 };
  } catch (error) {
    const errors = writeErrorsOf(error);
    if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw error;
    // Counted from the errors: mongo-java-server's reply overstates insertedCount.
    return { inserted: docs.length - errors.length, duplicates: errors.length };
  }
}

/** Items a connector could not normalize: kept aside with the problem, never lost. */
export async function putAside(db: Db, tenant: string, rejected: readonly RejectedPayload[]): Promise<void> {
  if (rejected.length === 0) return;
  await collection(db, 'malformedPayloads').insertMany(
    rejected.map((r) => ({ tenant, network: r.network, account: r.accountId, problem: r.reason, payload: escapeKeys(r.raw), at: r.receivedAt })),
  );
}

function toMessage(d: MessageDoc): StoredMessage {
  return {
    id: d._id, tenant: d.tenant, account: d.account ?? '', fetchedAt: d.fetchedAt, incident: d.incident ?? null,
    network: d.network, externalId: d.externalId, kind: d.kind, place: unescapeKeys(d.place) as StoredMessage['place'],
    author: {
      id: d.author?.id ?? '', name: d.author?.name ?? '', anonymous: d.author?.anonymous ?? false,
      ...(d.author?.profileUrl ? { profileUrl: d.author.profileUrl } : {}),
    },
    text: d.text ?? '', attachments: d.attachments ?? [], createdAt: d.createdAt, matchedKeywords: d.matchedKeywords ?? [], raw: unescapeKeys(d.raw ?? null),
  };
}

export async function getMessages(db: Db, ids: readonly string[], options: { readonly withoutRaw?: boolean } = {}): Promise<StoredMessage[]> {
  if (ids.length === 0) return [];
  const docs = await findIn(messages(db), '_id', ids, options.withoutRaw ? { projection: { raw: 0 } } : {});
  return docs.map(toMessage);
}

export function messageRepositoryOf(db: Db): MessageRepository {
  return {
    ingest: (tenant, batch, account, fetchedAt) => ingestMessages(db, tenant, batch, account, fetchedAt),
    putAside: (tenant, rejected) => putAside(db, tenant, rejected),
    get: async (id) => (await getMessages(db, [id]))[0] ?? null,
    getMany: (ids, options) => getMessages(db, ids, options),
  };
}
