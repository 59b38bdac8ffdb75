import { RepeatIndex } from '../classifiers/repeat.js';
import { toStoredVerdict, type Classifier } from '../classifiers/verdict.js';
import type { Store } from '../store/connection.js';
import { createIncident, earlierIncident, type StoredIncident } from '../store/incidents.js';
import { loadTenantClassifier } from '../store/classifier.js';
import { messageModel } from '../store/models/message.js';
import { incidentModel } from '../store/models/incident.js';
import type { TenantRuntimeCache } from '../store/tenant-runtime.js';
import type { ClaimedWork } from '../store/work-queue.js';

/**
 * Where a message is classified and becomes an incident (or a rejection with its reason
 * and evidence): the classifier worker's one step, separate from its loop for tests.
 */
export interface TenantClassification {
  readonly classifier: Classifier;
  readonly repeats: RepeatIndex;
  readonly loadedAt: number;
}

/** How far back repeats are looked for when a worker builds a tenant's index. */
const REPEAT_WINDOW_DAYS = 180;
const RELOAD_CLASSIFIER_MS = 5 * 60 * 1000;

export class ClassificationCache {
  private readonly tenants = new Map<string, TenantClassification>();
  constructor(private readonly store: Store) {}

  async get(tenant: string, nowMs = Date.now()): Promise<TenantClassification> {
    const cached = this.tenants.get(tenant);
    if (cached && nowMs - cached.loadedAt < RELOAD_CLASSIFIER_MS) return cached;
    const classifier = await loadTenantClassifier(this.store, tenant);
    // The index outlives a classifier reload: it is built once from the stored incidents
    // and then grows with each incident this worker creates.
    const repeats = cached?.repeats ?? (await buildRepeatIndex(this.store, tenant, nowMs));
    const entry = { classifier, repeats, loadedAt: nowMs };
    this.tenants.set(tenant, entry);
    return entry;
  }
}

async function buildRepeatIndex(store: Store, tenant: string, nowMs: number): Promise<RepeatIndex> {
  const index = new RepeatIndex();
  const since = new Date(nowMs - REPEAT_WINDOW_DAYS * 24 * 3600 * 1000);
  const rows = await incidentModel(store.connection).aggregate<{ number: number; authorId: string; location: string | null; text: string }>([
    { $match: { tenant, state: { $ne: 'rejected' }, detectedAt: { $gte: since } } },
    { $lookup: { from: messageModel(store.connection).collection.name, localField: 'message', foreignField: '_id', as: 'm' } },
    { $unwind: '$m' },
    { $project: { number: 1, authorId: 1, location: 1, text: '$m.text' } },
  ]);
  for (const row of rows) index.add({ id: String(row.number), text: row.text, author: row.authorId, ...(row.location ? { location: row.location } : {}) });
  return index;
}

export type ClassifyOutcome = 'incident' | 'rejected' | 'already-classified' | 'message-not-yet-stored' | 'message-missing';

/**
 * Ingest queues the work a moment before it stores the message (intent first), so a
 * classifier may see the work before the message: it waits this long for the message
 * before concluding that the ingest crashed in between and dropping the work. (The crash
 * test found one message in 1,189 never classified when the work was dropped at once.)
 */
export const MESSAGE_GRACE_MS = 5 * 60 * 1000;

export async function classifyWorkItem(store: Store, runtimes: TenantRuntimeCache, classifications: ClassificationCache, work: ClaimedWork, now: Date): Promise<{ outcome: ClassifyOutcome; incident?: StoredIncident }> {
  const { tenant, ref } = work.item;
  const separator = ref.indexOf(':');
  const network = ref.slice(0, separator);
  const externalId = ref.slice(separator + 1);
  const Message = messageModel(store.connection);
  const message = await Message.findOne({ tenant, network, externalId }).lean().exec();
  // The work was queued before the message was stored: it may still be on its way, or a
  // crash in between left no message at all.
  if (!message) return { outcome: now.getTime() - new Date(work.item.enqueuedAt).getTime() < MESSAGE_GRACE_MS ? 'message-not-yet-stored' : 'message-missing' };
  if (message.classifiedAt) return { outcome: 'already-classified' };
  const authorId = message.author?.id ?? '';
  const runtime = await runtimes.get(tenant, now.getTime());
  const { classifier, repeats } = await classifications.get(tenant, now.getTime());
  const verdict = classifier.classifyAgainst(repeats, { text: message.text, author: authorId });
  const repeatOf = verdict.repeatOf ? Number(verdict.repeatOf.incidentId) : null;
  const { incident, created } = await createIncident(store, runtime, {
    tenant, messageId: message._id, network, authorId, postedAt: message.createdAt, detectedAt: message.fetchedAt,
    verdict: toStoredVerdict(verdict),
    classify: {
      rejected: verdict.rejected, reason: verdict.reason, reasonCode: verdict.reasonCode, topic: verdict.topic.value,
      location: verdict.location?.value ?? null, importance: verdict.importance.value, repeatOf,
    },
    earlier: await earlierIncident(store, tenant, repeatOf),
  }, now);
  if (created && incident.state !== 'rejected') repeats.add({ id: String(incident.number), text: message.text, author: authorId, ...(incident.location ? { location: incident.location } : {}) });
  await Message.updateOne({ _id: message._id }, { $set: { classifiedAt: now } }).exec();
  return { outcome: incident.state === 'rejected' ? 'rejected' : 'incident', incident };
}
