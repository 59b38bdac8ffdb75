// Incidents for the workplace's tests, made by the classifier worker's own step at a
// chosen detection time, so the terms (and which are due soon or overdue) are known.
import type { NormalizedMessage } from '../../../connectors/types.js';
import type { Store } from '../../../store/port.js';
import { classifyQueued } from '../../support/classify.js';
import { rawDb } from '../../support/store.js';

let sequence = 0;

export function message(network: 'vk' | 'telegram', text: string, author: string, postedAt: Date, attachments: NormalizedMessage['attachments'] = []): NormalizedMessage {
  sequence += 1;
  const id = `${Date.now()}-${sequence}`;
  const place = network === 'vk'
    ? { containerId: '-218475963', postId: '1377', itemId: id, url: `https://vk.com/wall-218475963_1377?reply=${id}` }
    : { containerId: '-1001555000111', itemId: id, url: `https://t.me/c/1555000111/${id}` };
  return {
    network, externalId: `${network}-${id}`, kind: 'comment', place,
    author: { id: author, name: `Житель ${author}`, anonymous: false }, text, attachments, createdAt: postedAt, matchedKeywords: [], raw: { id },
  };
}

/** Stored as the connector stores them and classified as the worker does, detected at `detectedAt`. */
export async function classifyAt(store: Store, messages: NormalizedMessage[], detectedAt: Date, tenant = 'zarechensk'): Promise<void> {
  const byNetwork = new Map<string, NormalizedMessage[]>();
  for (const m of messages) byNetwork.set(m.network, [...(byNetwork.get(m.network) ?? []), m]);
  for (const [network, list] of byNetwork) await store.messages.ingest(tenant, list, network === 'vk' ? 'vk-main' : 'tg-bot');
  // Detected when fetched: set as if the connector had fetched them then.
  const keys = messages.map((m) => `${tenant}:${m.network}:${m.externalId}`);
  await rawDb(store).collection('messages').updateMany({ _id: { $in: keys } } as never, { $set: { fetchedAt: detectedAt } });
  await classifyQueued(store, new Date(detectedAt.getTime() + 20_000));
}
