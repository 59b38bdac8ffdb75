import type { RejectedPayload } from '../connectors/connector.js';
import type { NormalizedMessage } from '../connectors/types.js';
import type { Store } from './connection.js';
import { malformedPayloadModel } from './models/malformed-payload.js';
import { messageModel } from './models/message.js';
import { escapeKeys } from './sanitize.js';
import { enqueueWork } from './work-queue.js';

export interface IngestCounts {
  readonly inserted: number;
  readonly duplicates: number;
}

const DUPLICATE_KEY = 11000;

/** The work kind the classifier worker claims. */
export const CLASSIFY_WORK = 'classify';

/** How work items refer to a message before its _id exists: its unique key within the tenant. */
export function messageRef(network: string, externalId: string): string {
  return `${network}:${externalId}`;
}

/**
 * Stores fetched messages once each: the unique index on tenant+network+externalId turns
 * a re-fetch (after a crash between storing and saving the cursor) into duplicates that
 * are counted and dropped, never into a second incident.
 */
export async function ingestMessages(store: Store, tenant: string, messages: readonly NormalizedMessage[], account = ''): Promise<IngestCounts> {
  if (messages.length === 0) return { inserted: 0, duplicates: 0 };
  const fetchedAt = new Date();
  // The classifier's work first: a crash before the insert leaves an item that finds no
  // message (and is dropped), never a stored message that nobody classifies.
  await enqueueWork(store, messages.map((m) => ({ kind: CLASSIFY_WORK, tenant, ref: messageRef(m.network, m.externalId) })), fetchedAt);
  const docs = messages.map((m) => ({
    tenant, network: m.network, account, externalId: m.externalId, kind: m.kind,
    place: escapeKeys(m.place), author: m.author, text: m.text, attachments: m.attachments,
    createdAt: m.createdAt, fetchedAt, matchedKeywords: m.matchedKeywords, raw: escapeKeys(m.raw), classifiedAt: null, lease: null,
  }));
  try {
    await store.connection.db!.collection(messageModel(store.connection).collection.name).insertMany(docs as never[], { ordered: false });
    return { inserted: docs.length, duplicates: 0 };
  } catch (error) {
    type WriteError = { code?: number; err?: { code?: number } };
    const bulk = error as { writeErrors?: WriteError[] | WriteError };
    const writeErrors: WriteError[] = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : bulk.writeErrors ? [bulk.writeErrors] : [];
    const codes = writeErrors.map((e) => e.code ?? e.err?.code);
    if (writeErrors.length === 0 || codes.some((code) => code !== DUPLICATE_KEY)) throw error;
    // Counted from the errors: mongo-java-server's reply overstates insertedCount.
    return { inserted: docs.length - writeErrors.length, duplicates: writeErrors.length };
  }
}

/** Items a connector could not normalize: kept aside with the problem, never lost. */
export async function putAside(store: Store, tenant: string, rejected: readonly RejectedPayload[]): Promise<void> {
  if (rejected.length === 0) return;
  await malformedPayloadModel(store.connection).collection.insertMany(
    rejected.map((r) => ({ tenant, network: r.network, account: r.accountId, problem: r.reason, payload: escapeKeys(r.raw), at: r.receivedAt })) as never[],
  );
}
