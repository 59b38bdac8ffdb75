// Incidents for the workplace's tests, made by the classifier worker's own step at a
// chosen detection time, so the terms (and which are due soon or overdue) are known.
import type { NormalizedMessage } from '../../../connectors/types.js';
import type { Store } from '../../../store/connection.js';
import { CLASSIFY_WORK, ingestMessages } from '../../../store/messages.js';
import { TenantRuntimeCache } from '../../../store/tenant-runtime.js';
import { claimWork, completeWork } from '../../../store/work-queue.js';
import { ClassificationCache, classifyWorkItem } from '../../../workers/classification.js';

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
  for (const [network, list] of byNetwork) await ingestMessages(store, tenant, list, network === 'vk' ? 'vk-main' : 'tg-bot');
  await store.connection.db!.collection('messages').updateMany({ classifiedAt: null }, { $set: { fetchedAt: detectedAt } });
  const runtimes = new TenantRuntimeCache(store);
  const classifications = new ClassificationCache(store);
  for (;;) {
    const work = await claimWork(store, [CLASSIFY_WORK], 'test', new Date(Date.now() + 1000), 60000);
    if (!work) return;
    await classifyWorkItem(store, runtimes, classifications, work, new Date(detectedAt.getTime() + 20_000));
    await completeWork(store, work);
  }
}
