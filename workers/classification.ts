import { RepeatIndex, type RepeatEntry } from '../classifiers/repeat.js';
import { toStoredVerdict, type Classifier } from '../classifiers/verdict.js';
import type { ClassifyPayload } from '../store/messages.js';
import type { ClaimedWork, NewIncidentInput, Store, StoredIncident, StoredMessage } from '../store/port.js';
import type { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { ConcurrentChangeError } from '../store/errors.js';
import { clarificationReplyTarget } from '../workflow/clarification.js';
import { WorkflowError } from '../workflow/incident-machine.js';
import { done, type Outcome } from './processor.js';

/**
 * Where messages are classified and become incidents (or rejections with their reason and
 * evidence): the classifier worker's step over one claimed batch, separate from its loop
 * for tests. A batch is a few fetched batches of one or more tenants; each tenant's
 * messages are classified in memory and their incidents made with a handful of round trips
 * (store.incidents.createMany), whatever the batch's size.
 */

/** How far back repeats are looked for (001 [19]: a repeat of an issue already dealt with). */
export const REPEAT_WINDOW_MS = 180 * 24 * 3600 * 1000;

/** What one incident files in the repeat log: its entry and the keys to file it under (classifiers/repeat.ts). */
export interface FiledRepeat {
  readonly keys: readonly string[];
  readonly entry: RepeatEntry;
}
const RELOAD_CLASSIFIER_MS = 5 * 60 * 1000;
/** Chunks read per round trip while the index is loaded from the log. */
const LOAD_CHUNKS = 100;

/**
 * Ingest queues the work a moment before it stores the messages (intent first), so a
 * classifier may see the work before the messages: it waits this long for them before
 * concluding that the ingest crashed in between and dropping them. (The crash test found
 * one message in 1,189 never classified when the work was dropped at once.)
 */
export const MESSAGE_GRACE_MS = 5 * 60 * 1000;
/**
 * How soon to look again for messages queued just before they were stored: half the item's
 * age, from 20 ms (the ingest's insert is usually a few milliseconds behind its work item,
 * and a fixed 200 ms here was the tail of fetched → incident at 100 messages/s) up to 5 s
 * (an ingest that crashed in between is not asked for thousands of times in its grace).
 */
export function messageWaitMs(ageMs: number): number {
  return Math.min(5_000, Math.max(20, Math.round(ageMs / 2)));
}

/**
 * A tenant's repeat index in this process, built from the store's repeat log: the newest
 * chunks at once and the older ones in the background, so the classifier starts without
 * reading the whole history, and every batch first reads what other processes appended.
 */
export class TenantRepeats {
  readonly index = new RepeatIndex();
  private through = 0;
  private oldestLoaded = Number.POSITIVE_INFINITY;
  private backfill: Promise<void> | null = null;
  /** Chunks this process appended: already in the index. */
  private readonly own = new Set<number>();
  /** True once the whole window is in memory. */
  complete = false;

  constructor(private readonly store: Pick<Store, 'repeats'>, private readonly tenant: string) {}

  /** Reads the chunks appended since the last look (this process's and others'). */
  async catchUp(nowMs: number): Promise<void> {
    const head = await this.store.repeats.head(this.tenant);
    if (head <= this.through) return;
    const from = this.through === 0 ? Math.max(1, head - LOAD_CHUNKS + 1) : this.through + 1;
    for (let start = from; start <= head; start += LOAD_CHUNKS) {
      const seqs = Array.from({ length: Math.min(LOAD_CHUNKS, head - start + 1) }, (_, i) => start + i);
      this.addChunks(await this.store.repeats.chunks<FiledRepeat>(this.tenant, seqs), nowMs);
    }
    if (this.oldestLoaded === Number.POSITIVE_INFINITY) this.oldestLoaded = from;
    this.through = head;
    if (!this.backfill && this.oldestLoaded > 1) this.backfill = this.loadOlder(nowMs);
    else if (this.oldestLoaded <= 1) this.complete = true;
  }

  /** Files this process's new incidents: in the log for the others, in the index at once. */
  async file(filed: readonly FiledRepeat[], now: Date): Promise<void> {
    if (filed.length === 0) return;
    const seq = await this.store.repeats.append(this.tenant, filed, now);
    this.own.add(seq);
    for (const f of filed) this.index.file(f.keys, f.entry);
  }

  private addChunks(chunks: ReadonlyArray<{ seq: number; at: Date; entries: readonly FiledRepeat[] }>, nowMs: number): void {
    for (const chunk of chunks) {
      if (this.own.delete(chunk.seq) || nowMs - chunk.at.getTime() > REPEAT_WINDOW_MS) continue;
      // Entries of an older log (text, no keys) are not read: they are out of the window within months.
      for (const f of chunk.entries) if (Array.isArray(f.keys) && f.entry) this.index.file(f.keys, f.entry);
    }
  }

  private async loadOlder(nowMs: number): Promise<void> {
    while (this.oldestLoaded > 1) {
      const end = this.oldestLoaded - 1;
      const start = Math.max(1, end - LOAD_CHUNKS + 1);
      const chunks = await this.store.repeats.chunks<FiledRepeat>(this.tenant, Array.from({ length: end - start + 1 }, (_, i) => start + i));
      this.addChunks(chunks, nowMs);
      this.oldestLoaded = start;
      // Past the window: nothing older can be a repeat.
      if (chunks.length > 0 && nowMs - chunks[0]!.at.getTime() > REPEAT_WINDOW_MS) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.complete = true;
  }

  /** Waits for the background load (tests and benches). */
  async loaded(): Promise<void> {
    await this.backfill;
  }
}

export interface TenantClassification {
  readonly classifier: Classifier;
  readonly repeats: TenantRepeats;
  readonly loadedAt: number;
}

export class ClassificationCache {
  private readonly tenants = new Map<string, TenantClassification>();
  constructor(private readonly store: Pick<Store, 'classifier' | 'repeats'>) {}

  async get(tenant: string, nowMs = Date.now()): Promise<TenantClassification> {
    const cached = this.tenants.get(tenant);
    const classifier = cached && nowMs - cached.loadedAt < RELOAD_CLASSIFIER_MS ? cached.classifier : await this.store.classifier.forTenant(tenant);
    // The index outlives a classifier reload: it follows the log.
    const repeats = cached?.repeats ?? new TenantRepeats(this.store, tenant);
    await repeats.catchUp(nowMs);
    const entry = { classifier, repeats, loadedAt: cached && classifier === cached.classifier ? cached.loadedAt : nowMs };
    this.tenants.set(tenant, entry);
    return entry;
  }
}

/** What became of a message: a new incident, a rejection, nothing (done before), or the author's reply to a clarification request. */
export type ClassifyOutcome = 'incident' | 'rejected' | 'already-classified' | 'clarification-reply';

export interface BatchReport {
  readonly outcomes: readonly Outcome[];
  /** What became of each message, for logs and tests. */
  readonly results: ReadonlyArray<{ readonly messageId: string; readonly outcome: ClassifyOutcome; readonly incident: StoredIncident }>;
}

export async function classifyBatch(
  store: Store,
  runtimes: TenantRuntimeCache,
  classifications: ClassificationCache,
  items: readonly ClaimedWork<ClassifyPayload>[],
  now: Date,
): Promise<BatchReport> {
  const wanted = items.flatMap((i) => (Array.isArray(i.item.payload?.messages) ? i.item.payload.messages : []));
  // The network's payload (raw) is not read: the classifier needs the message, and it is most of the bytes.
  const messages = new Map((await store.messages.getMany(wanted, { withoutRaw: true })).map((m) => [m.id, m]));
  const outcomes: Outcome[] = [];
  const work: StoredMessage[] = [];
  for (const { item } of items) {
    const ids = Array.isArray(item.payload?.messages) ? item.payload.messages : [];
    const missing = ids.filter((id) => !messages.has(id));
    // The work was queued before the messages were stored: they may be on their way, or a
    // crash in between left none; the present ones are classified now either way.
    if (missing.length > 0 && now.getTime() - item.enqueuedAt.getTime() < MESSAGE_GRACE_MS) {
      outcomes.push({ kind: 'postpone', at: new Date(now.getTime() + messageWaitMs(now.getTime() - item.enqueuedAt.getTime())), note: `${missing.length} message(s) not stored yet`, payload: { messages: missing } });
    } else outcomes.push(done);
    for (const id of ids) {
      const m = messages.get(id);
      if (m && !work.includes(m)) work.push(m);
    }
  }
  const results: Array<BatchReport['results'][number]> = [];
  const already = await store.incidents.byMessages(work.map((m) => m.id));
  for (const [id, incident] of already) results.push({ messageId: id, outcome: 'already-classified', incident });
  const byTenant = new Map<string, StoredMessage[]>();
  // A message attached to an incident as a clarification reply has no incident of its own.
  for (const m of work) if (!already.has(m.id) && m.incident === null) byTenant.set(m.tenant, [...(byTenant.get(m.tenant) ?? []), m]);
  for (const [tenant, all] of byTenant) {
    const { replies, rest } = await takeClarificationReplies(store, runtimes, tenant, all, now);
    results.push(...replies, ...(await classifyTenant(store, runtimes, classifications, tenant, rest, now)));
  }
  return { outcomes, results };
}

/**
 * 001 [17]: a message from an author whose incident waits for their clarification, in the
 * same conversation or a private chat after the request, is that reply: the incident goes
 * back to the executor with fresh terms (`author-replied`), and the message becomes part of
 * it instead of a new incident.
 */
async function takeClarificationReplies(store: Store, runtimes: TenantRuntimeCache, tenant: string, list: readonly StoredMessage[], now: Date): Promise<{ replies: BatchReport['results']; rest: StoredMessage[] }> {
  const waiting = await store.incidents.awaitingReply(tenant, list.map((m) => ({ network: m.network, authorId: m.author.id })));
  if (waiting.size === 0) return { replies: [], rest: [...list] };
  const incidents = new Map((await store.incidents.getMany(tenant, [...new Set([...waiting.values()].flat())])).map((i) => [i.number, i]));
  const originals = new Map((await store.messages.getMany([...incidents.values()].map((i) => i.message))).map((m) => [m.id, m]));
  const replies: Array<BatchReport['results'][number]> = [];
  const rest: StoredMessage[] = [];
  for (const m of list) {
    const candidates = (waiting.get(`${m.network}:${m.author.id}`) ?? []).flatMap((n) => {
      const incident = incidents.get(n);
      const original = incident ? originals.get(incident.message) : undefined;
      return incident && original ? [{ ...incident, message: original, incident }] : [];
    });
    const target = clarificationReplyTarget(m, candidates);
    if (!target) {
      rest.push(m);
      continue;
    }
    try {
      const runtime = await runtimes.get(tenant, now.getTime());
      const { incident } = await store.incidents.apply(runtime, target.number, { type: 'author-replied', messageId: m.id }, CLASSIFIER, now);
      await store.incidents.attachReply(m.id, target.number);
      replies.push({ messageId: m.id, outcome: 'clarification-reply', incident });
    } catch (error) {
      // The incident moved on meanwhile (the curator closed it): the message is a new one.
      if (!(error instanceof WorkflowError) && !(error instanceof ConcurrentChangeError)) throw error;
      rest.push(m);
    }
  }
  return { replies, rest };
}

const CLASSIFIER = { kind: 'system', name: 'classifier' } as const;

async function classifyTenant(
  store: Store,
  runtimes: TenantRuntimeCache,
  classifications: ClassificationCache,
  tenant: string,
  list: readonly StoredMessage[],
  now: Date,
): Promise<BatchReport['results']> {
  const runtime = await runtimes.get(tenant, now.getTime());
  const { classifier, repeats } = await classifications.get(tenant, now.getTime());
  // Repeats within the batch are looked for among the batch's own messages, filed under
  // provisional ids («batch:i») until they have their numbers.
  const inBatch = new RepeatIndex();
  const inputs: NewIncidentInput[] = [];
  const earlierNumbers = new Set<number>();
  const prepared = list.map((m, i) => {
    const ready = classifier.prepare({ text: m.text, author: m.author.id, at: m.fetchedAt.getTime() });
    const verdict = classifier.complete(ready, [...repeats.index.candidates(ready.repeatKeys), ...inBatch.candidates(ready.repeatKeys)]);
    inBatch.file(ready.repeatKeys, ready.repeatEntry(`batch:${i}`));
    const target = verdict.repeatOf?.incidentId ?? null;
    const batchRepeat = target?.startsWith('batch:') ? Number(target.slice('batch:'.length)) : undefined;
    const repeatOf = target !== null && batchRepeat === undefined ? Number(target) : null;
    if (repeatOf !== null) earlierNumbers.add(repeatOf);
    return { m, ready, verdict, repeatOf, batchRepeat };
  });
  const earlier = new Map((await store.incidents.getMany(tenant, [...earlierNumbers])).map((e) => [e.number, e]));
  for (const { m, verdict, repeatOf, batchRepeat } of prepared) {
    const previous = repeatOf === null ? undefined : earlier.get(repeatOf);
    const approved = previous ? [...previous.drafts].reverse().find((d) => d.decision === 'approved' || d.decision === 'edited') : undefined;
    inputs.push({
      tenant, messageId: m.id, network: m.network, authorId: m.author.id, postedAt: m.createdAt, detectedAt: m.fetchedAt, text: m.text,
      verdict: toStoredVerdict(verdict),
      classify: {
        rejected: verdict.rejected, reason: verdict.reason, reasonCode: verdict.reasonCode, topic: verdict.topic.value,
        location: verdict.location?.value ?? null, importance: verdict.importance.value, repeatOf: previous ? repeatOf : null,
      },
      earlier: previous ? { number: previous.number, departments: [...previous.departments], answer: approved?.text ?? null } : null,
      ...(batchRepeat !== undefined && !verdict.rejected ? { repeatOfInBatch: batchRepeat } : {}),
    });
  }
  // classifyBatch looked every message up a moment ago (byMessages) and kept only those without one.
  const created = await store.incidents.createMany(runtime, inputs, now, { checked: true });
  const filed: FiledRepeat[] = [];
  const results: Array<BatchReport['results'][number]> = [];
  const byMessage = new Map(prepared.map((p) => [p.m.id, p]));
  for (const c of created) {
    const p = byMessage.get(c.incident.message)!;
    const m = p.m;
    // Rejections are filed too (as copies for the spam rule, never a repeat's target).
    if (c.created) filed.push({ keys: p.ready.repeatKeys, entry: p.ready.repeatEntry(String(c.incident.number)) });
    results.push({ messageId: m.id, outcome: c.created ? (c.incident.state === 'rejected' ? 'rejected' : 'incident') : 'already-classified', incident: c.incident });
  }
  await repeats.file(filed, now);
  return results;
}
