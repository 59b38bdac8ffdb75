import { STATE_INFO, type IncidentState } from '../workflow/incident-states.js';
import { decide, type Actor, type Command, type Decision, type EarlierIncident, type WorkflowIncident } from '../workflow/incident-machine.js';
import { recordActivity } from './activity.js';
import { fileHighImportance } from './report-events.js';
import {
  archive, archiveForWrite, archiveMonthAt, hot, isArchivedState, monthsFor, moveToArchive, moveToHot, recordMonthStart, tenantMonths, type IncidentDoc,
} from './archive.js';
import { collection, writeErrorsOf, type Db } from './db.js';
import { ConcurrentChangeError, IncidentNotFoundError } from './errors.js';
import { incidentKey, shiftMonth } from './ids.js';
import { getMessages } from './messages.js';
import { addInboxEntries, inboxChangesSince, inboxPage, newInboxDoc, syncInboxEntry } from './inbox.js';
import { fileWritten } from './watch-slots.js';
import { writeDecisionNotices } from './notices.js';
import type {
  CreatedIncident, IncidentMessage, IncidentRepository, NewIncidentInput, OpenIncidentFilter, StoredIncident, TenantRuntime,
} from './port.js';
import { enqueuePublish } from './publication.js';
import { reserveSequence } from './sequences.js';
import { recordCorrection } from './classifier.js';
import { findIn } from './key-lists.js';

/**
 * Incidents in the store. Every change is decided by the pure state machine
 * (workflow/incident-machine.ts) and written as one atomic update whose filter holds the
 * incident's key, the state and the revision the decision was made on — exactly the keys
 * of a unique index, so the store finds it by the index — with the history entry pushed in
 * the same write: a concurrent change (another curator, a stale bot card, a second worker)
 * makes the later one fail cleanly instead of overwriting.
 */

export function toIncident(doc: IncidentDoc): StoredIncident {
  const { _id, ...rest } = doc as IncidentDoc & Record<string, unknown>;
  const publication = (rest.publication ?? {}) as Partial<StoredIncident['publication']>;
  return {
    ...(rest as unknown as Omit<StoredIncident, 'id' | 'publication'>),
    id: _id,
    dueStatus: (rest.dueStatus as StoredIncident['dueStatus'] | undefined) ?? null,
    publication: {
      outcome: publication.outcome ?? null, outcomeLabel: publication.outcomeLabel ?? null, attempts: publication.attempts ?? [],
      publicInterest: publication.publicInterest ?? false, manualCheck: publication.manualCheck ?? null,
    },
  };
}

/** Decision.set in the store's own paths: publication's outcome without touching its attempts. */
function storedChanges(decision: Decision): Record<string, unknown> {
  const { publication, publicInterest, ...rest } = decision.set;
  return {
    ...rest,
    ...(publication ? { 'publication.outcome': publication.outcome, 'publication.outcomeLabel': publication.outcomeLabel } : {}),
    // 004 [3.5]: the flag lives beside the publication it concerns.
    ...(publicInterest !== undefined ? { 'publication.publicInterest': publicInterest } : {}),
  };
}

/** The incident wherever it is: the hot copy first (a half-finished move leaves both), then its archive month. */
async function findDoc(db: Db, tenant: string, number: number): Promise<{ doc: IncidentDoc; archived: boolean } | null> {
  const id = incidentKey(tenant, number);
  const inHot = await hot(db).findOne({ _id: id });
  if (inHot) return { doc: inHot, archived: false };
  for (const month of await monthsFor(db, tenant, number)) {
    const found = await (await archive(db, tenant, month)).findOne({ _id: id });
    if (found) return { doc: found, archived: true };
  }
  return null;
}

export async function findIncident(db: Db, tenant: string, number: number): Promise<StoredIncident | null> {
  const found = await findDoc(db, tenant, number);
  return found ? toIncident(found.doc) : null;
}

export async function findIncidents(db: Db, tenant: string, numbers: readonly number[]): Promise<StoredIncident[]> {
  if (numbers.length === 0) return [];
  const ids = [...new Set(numbers)].map((n) => incidentKey(tenant, n));
  const found = new Map((await findIn(hot(db), '_id', ids)).map((d) => [d._id, d]));
  const missing = [...new Set(numbers)].filter((n) => !found.has(incidentKey(tenant, n)));
  if (missing.length > 0) {
    const byMonth = new Map<string, string[]>();
    for (const n of missing) {
      for (const month of await monthsFor(db, tenant, n)) {
        const list = byMonth.get(month) ?? [];
        list.push(incidentKey(tenant, n));
        byMonth.set(month, list);
      }
    }
    for (const [month, monthIds] of byMonth) {
      for (const d of await findIn(await archive(db, tenant, month), '_id', monthIds)) if (!found.has(d._id)) found.set(d._id, d);
    }
  }
  return numbers.flatMap((n) => {
    const d = found.get(incidentKey(tenant, n));
    return d ? [toIncident(d)] : [];
  });
}

export async function earlierIncident(db: Db, tenant: string, number: number | null): Promise<EarlierIncident | null> {
  if (number === null) return null;
  const earlier = await findIncident(db, tenant, number);
  if (!earlier) return null;
  const approved = [...earlier.drafts].reverse().find((d) => d.decision === 'approved' || d.decision === 'edited');
  return { number, departments: [...earlier.departments], answer: approved?.text ?? null };
}

/** The incidents already made of these messages: the hot set and the archive months a new rejection goes to. */
export async function incidentsByMessages(db: Db, messageIds: readonly string[], now = new Date()): Promise<Map<string, StoredIncident>> {
  const out = new Map<string, StoredIncident>();
  if (messageIds.length === 0) return out;
  const ids = [...new Set(messageIds)];
  const month = archiveMonthAt(now);
  // A message key starts with its tenant: each tenant's rejections of this month and the last.
  const tenants = [...new Set(ids.map((id) => id.slice(0, id.indexOf(':'))))];
  const sources = [hot(db), ...(await Promise.all(tenants.flatMap((t) => [archive(db, t, month), archive(db, t, shiftMonth(month, -1))])))];
  for (const source of sources) {
    const wanted = ids.filter((id) => !out.has(id));
    if (wanted.length === 0) break;
    for (const d of await findIn(source, 'message', wanted)) if (!out.has(d.message)) out.set(d.message, toIncident(d));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Creation

function freshIncident(number: number, input: NewIncidentInput): WorkflowIncident {
  return {
    number, state: 'new', topic: null, location: null, importance: 'normal', repeatOf: null, departments: [], assignee: null,
    drafts: [], deadlines: [], nextDueAt: null, publication: { outcome: null, outcomeLabel: null }, history: [],
    detectedAt: input.detectedAt, postedAt: input.postedAt, departmentIndex: 0, rejection: null, appeal: null,
  };
}

/**
 * Makes the incidents of one tenant's classified messages in one batch: numbers reserved
 * with one $inc, the open ones inserted into the hot collection and the rejections straight
 * into their archive month, the decisions' notices and the activity counters written — a
 * handful of round trips for the whole batch (the unique index on `message` says which
 * message has its incident). A
 * message that already has its incident (a retried batch, another classifier) keeps it: the
 * unique index on `message` refuses a second.
 */
export async function createIncidents(db: Db, runtime: TenantRuntime, inputs: readonly NewIncidentInput[], now: Date, options: { readonly checked?: boolean } = {}): Promise<CreatedIncident[]> {
  if (inputs.length === 0) return [];
  const tenant = runtime.tenant;
  const existing = options.checked ? new Map<string, StoredIncident>() : await incidentsByMessages(db, inputs.map((i) => i.messageId), now);
  const fresh = inputs.filter((i, index) => !existing.has(i.messageId) && inputs.findIndex((j) => j.messageId === i.messageId) === index);
  const results = new Map<string, CreatedIncident>();
  for (const [messageId, incident] of existing) results.set(messageId, { incident, created: false, decision: null });
  if (fresh.length > 0) {
    const month = archiveMonthAt(now);
    const first = await reserveSequence(db, `incident:${tenant}`, fresh.length);
    await recordMonthStart(db, tenant, month, first);
    const numberOfInput = new Map(fresh.map((input, i) => [inputs.indexOf(input), first + i]));
    const made = fresh.map((input, i) => {
      const number = first + i;
      const base = freshIncident(number, input);
      // A repeat of a message in the same batch: that incident is numbered here, still in triage.
      const batchEarlier = input.repeatOfInBatch === undefined ? undefined : numberOfInput.get(input.repeatOfInBatch);
      const verdict = batchEarlier === undefined ? input.classify : { ...input.classify, repeatOf: batchEarlier };
      const earlier = batchEarlier === undefined ? input.earlier ?? null : { number: batchEarlier, departments: [], answer: null };
      // The stored verdict names the earlier incident by its number, not by its place in the batch.
      const storedVerdict = batchEarlier !== undefined && isRecord(input.verdict) && isRecord(input.verdict.repeatOf)
        ? { ...input.verdict, repeatOf: { ...input.verdict.repeatOf, incidentId: String(batchEarlier) } }
        : input.verdict;
      const decision = decide(base, { type: 'classify', verdict }, { kind: 'system', name: 'classifier' }, {
        now, profile: runtime.profile, calendar: runtime.calendar, staff: runtime.staff, departments: runtime.departments, earlier,
      });
      const doc = {
        ...base, ...storedChanges(decision),
        _id: incidentKey(tenant, number), tenant, message: input.messageId, network: input.network, authorId: input.authorId,
        verdict: storedVerdict, archiveMonth: month, state: decision.to, stateLabel: STATE_INFO[decision.to].label, dueStatus: null, dueStatusLabel: null,
        publication: { attempts: [], outcome: null, outcomeLabel: null, publicInterest: false, manualCheck: null },
        history: [{ who: decision.who, at: decision.at, from: 'new', to: decision.to, why: decision.why }],
        revision: 1, createdAt: now, updatedAt: now,
      } as unknown as IncidentDoc;
      return { input, doc, decision };
    });
    // Stamped when written (not when the batch began): what "fetched → incident" is measured to.
    const written = new Date();
    for (const m of made) Object.assign(m.doc, { createdAt: written, updatedAt: written });
    await fileHighImportance(db, made
      .filter((m) => m.doc.importance === 'high' && !isArchivedState(m.doc.state))
      .map((m) => ({ _id: m.doc._id, tenant, detectedAt: m.input.detectedAt })));
    const inserted = new Set<string>();
    for (const [target, docs] of [
      [hot(db), made.filter((m) => !isArchivedState(m.doc.state)).map((m) => m.doc)],
      [await archiveForWrite(db, tenant, month), made.filter((m) => isArchivedState(m.doc.state)).map((m) => m.doc)],
    ] as const) {
      if (docs.length === 0) continue;
      try {
        await target.insertMany(docs, { ordered: false });
        for (const d of docs) inserted.add(d._id);
      } catch (error) {
        const errors = writeErrorsOf(error);
        if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw error;
        // Another classifier made some of them between our check and our insert.
        const failed = new Set(errors.map((e) => e.index));
        docs.forEach((d, index) => { if (!failed.has(index)) inserted.add(d._id); });
      }
    }
    const winners = await incidentsByMessages(db, made.filter((m) => !inserted.has(m.doc._id)).map((m) => m.input.messageId), now);
    for (const m of made) {
      if (inserted.has(m.doc._id)) results.set(m.input.messageId, { incident: toIncident(m.doc), created: true, decision: m.decision });
      else {
        const winner = winners.get(m.input.messageId);
        if (winner) results.set(m.input.messageId, { incident: winner, created: false, decision: null });
      }
    }
    const created = made.filter((m) => inserted.has(m.doc._id));
    const open = created.filter((m) => !isArchivedState(m.doc.state));
    await addInboxEntries(db, open.map((m) => newInboxDoc(m.doc, m.input.text ?? '')));
    await fileWritten(db, open.map((m) => m.doc), now.getTime());
    if (created.length > 0) {
      await writeDecisionNotices(db, tenant, created.map((m) => ({ incidentId: m.doc._id, number: m.doc.number, revision: 1, decision: m.decision })), { record: false, digest: true });
      await recordActivity(db, tenant, created.map((m) => ({
        detectedAt: m.input.detectedAt, number: m.doc.number, rejected: m.doc.state === 'rejected',
        topic: m.input.classify.topic ?? null, location: m.input.classify.location ?? null,
      })));
    }
  }
  return inputs.flatMap((i) => {
    const r = results.get(i.messageId);
    return r ? [r] : [];
  });
}

// ---------------------------------------------------------------------------------------
// Commands

/**
 * Decides a command on the incident as stored and writes the decision atomically, fenced
 * by `{_id, state, revision}`. An incident that closes moves to its archive month; an
 * archived one a curator reopens (an overturned rejection) comes back to the hot set.
 */
export async function runCommand(db: Db, runtime: TenantRuntime, number: number, command: Command, actor: Actor, now: Date): Promise<{ decision: Decision; incident: StoredIncident }> {
  const found = await findDoc(db, runtime.tenant, number);
  if (!found) throw new IncidentNotFoundError(runtime.tenant, number);
  const { doc, archived } = found;
  const incident = toIncident(doc);
  const decision = decide(incident, command, actor, {
    now, profile: runtime.profile, calendar: runtime.calendar, staff: runtime.staff, departments: runtime.departments,
    // link-repeat names the earlier incident itself; every other command refers to the one linked.
    earlier: await earlierIncident(db, runtime.tenant, command.type === 'link-repeat' ? command.earlier : incident.repeatOf),
  });
  // The publisher's work is queued before the approval is written (intent first): a crash in
  // between leaves an item that finds the draft not approved and is dropped, never an
  // approved answer nobody publishes (000 [13], 001 [16]: 30 minutes to publish).
  const approvedDraft = decision.to === 'approved' && decision.from !== 'approved' ? decision.set.drafts?.at(-1) : undefined;
  if (approvedDraft) await enqueuePublish(db, [{ tenant: runtime.tenant, number, draftId: approvedDraft.id }], now);
  const entry = { who: decision.who, at: decision.at, from: decision.from, to: decision.to, why: decision.why };
  const changes = { ...storedChanges(decision), state: decision.to, stateLabel: STATE_INFO[decision.to].label, updatedAt: now };
  const fence = { _id: doc._id, state: doc.state, revision: doc.revision };
  let after: IncidentDoc;
  if (archived && !isArchivedState(decision.to)) {
    after = applyLocally(doc, changes, entry);
    if (!(await moveToHot(db, after, { ...fence, tenant: doc.tenant, archiveMonth: doc.archiveMonth }))) throw new ConcurrentChangeError(number);
    const [m] = await getMessages(db, [doc.message]);
    await syncInboxEntry(db, after, m?.text ?? '');
    await fileWritten(db, [after], now.getTime());
  } else {
    const target = archived ? await archive(db, doc.tenant, doc.archiveMonth) : hot(db);
    const result = await target.updateOne(fence, { $set: changes, $inc: { revision: 1 }, $push: { history: entry } } as never);
    if (result.matchedCount !== 1) throw new ConcurrentChangeError(number);
    after = applyLocally(doc, changes, entry);
    if (!archived && isArchivedState(decision.to)) await moveToArchive(db, after);
    else if (!archived) {
      await syncInboxEntry(db, after);
      await fileWritten(db, [after], now.getTime());
    }
  }
  await writeDecisionNotices(db, runtime.tenant, [{ incidentId: doc._id, number, revision: after.revision, decision }]);
  if (command.type === 'unlink-repeat' && incident.repeatOf !== null) await learnUnlink(db, incident, actor, now);
  if (decision.to === 'awaiting-author' || decision.from === 'awaiting-author') await noteAwaitingReply(db, after, decision.to === 'awaiting-author');
  return { decision, incident: toIncident(after) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * A curator's unlink teaches the classifier (issue 13): the message and the incident it was
 * wrongly linked to are recorded as a correction, which the tenant's classifier applies from
 * its next load and keeps through retraining — whichever interface the curator used.
 */
async function learnUnlink(db: Db, incident: StoredIncident, actor: Actor, now: Date): Promise<void> {
  const earlier = incident.repeatOf === null ? null : await findIncident(db, incident.tenant, incident.repeatOf);
  const [mine, theirs] = await getMessages(db, [incident.message, ...(earlier ? [earlier.message] : [])]).then((list) => [
    list.find((m) => m.id === incident.message), earlier ? list.find((m) => m.id === earlier.message) : undefined,
  ]);
  if (!mine) return;
  const by = isRecord(incident.verdict) && isRecord(incident.verdict.repeatOf) && incident.verdict.repeatOf.by === 'place' ? 'place' : 'text';
  await recordCorrection(db, incident.tenant, {
    kind: 'unlink-repeat', text: mine.text, value: String(incident.repeatOf), previous: by, evidence: theirs ? [theirs.text] : [],
    by: actor.kind === 'staff' ? actor.code : `system:${actor.name}`, at: now, incident: String(incident.number),
  });
}

// ---------------------------------------------------------------------------------------
// Authors a clarification request waits for (001 [17])

const awaiting = (db: Db) => collection<{ _id: string; numbers: number[] }>(db, 'awaitingReplies');

function authorKey(tenant: string, network: string, authorId: string): string {
  return `${tenant}:${network}:${authorId}`;
}

/**
 * Kept beside the fenced write, by key: a crash between the two leaves either a stale entry
 * (the incident is checked before anything is done with it) or a missing one, which the
 * watcher's repair rebuilds from the open incidents.
 */
async function noteAwaitingReply(db: Db, incident: IncidentDoc, waiting: boolean): Promise<void> {
  const key = authorKey(incident.tenant, String(incident.network), String(incident.authorId));
  if (waiting) await awaiting(db).updateOne({ _id: key }, { $addToSet: { numbers: incident.number } }, { upsert: true });
  else await awaiting(db).updateOne({ _id: key }, { $pull: { numbers: incident.number } });
}

export async function awaitingReply(db: Db, tenant: string, authors: ReadonlyArray<{ network: string; authorId: string }>): Promise<Map<string, number[]>> {
  const keys = [...new Set(authors.map((a) => authorKey(tenant, a.network, a.authorId)))];
  const out = new Map<string, number[]>();
  if (keys.length === 0) return out;
  for (const d of await findIn(awaiting(db), '_id', keys)) {
    if (d.numbers.length > 0) out.set(d._id.slice(tenant.length + 1), [...d.numbers]);
  }
  return out;
}

export async function attachReply(db: Db, messageId: string, number: number): Promise<void> {
  await collection(db, 'messages').updateOne({ _id: messageId as never }, { $set: { incident: number, replyTo: number } });
}

/** The document as the fenced write left it: the write matched exactly this revision, so nothing else changed it. */
function applyLocally(doc: IncidentDoc, changes: Record<string, unknown>, entry: Record<string, unknown>): IncidentDoc {
  const next: Record<string, unknown> = { ...doc, revision: doc.revision + 1, history: [...((doc.history as unknown[] | undefined) ?? []), entry] };
  for (const [path, value] of Object.entries(changes)) {
    const parts = path.split('.');
    let target = next;
    for (const part of parts.slice(0, -1)) {
      const inner = target[part];
      target[part] = inner && typeof inner === 'object' ? { ...(inner as Record<string, unknown>) } : {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts.at(-1)!] = value;
  }
  return next as IncidentDoc;
}

// ---------------------------------------------------------------------------------------
// Lists

/** The open incidents: a scan of the hot collection, which holds nothing else. */
export async function openIncidents(db: Db, filter: OpenIncidentFilter = {}): Promise<StoredIncident[]> {
  const query: Record<string, unknown> = {};
  if (filter.tenant) query.tenant = filter.tenant;
  if (filter.states) query.state = { $in: [...filter.states] };
  const docs = await hot(db).find(query).toArray();
  return docs.filter((d) => !isArchivedState(d.state)).map(toIncident);
}

/**
 * The newest archived incidents of a tenant, newest first: by number downwards from the
 * tenant's latest, read by `_id` from the months those numbers were given in, never by
 * scanning an archive month.
 */
export async function recentArchived(db: Db, tenant: string, limit: number, states?: readonly IncidentState[]): Promise<StoredIncident[]> {
  const counter = await collection(db, 'counters').findOne({ _id: `incident:${tenant}` as never });
  let top = (counter?.value as number | undefined) ?? 0;
  const wanted = states ? new Set(states) : null;
  const out: StoredIncident[] = [];
  const months = await tenantMonths(db, tenant);
  // A bounded walk: far enough back for any page a person reads, never the whole history.
  const floor = Math.max(0, top - 20000);
  while (top > floor && out.length < limit) {
    const numbers = Array.from({ length: Math.min(500, top - floor) }, (_, i) => top - i);
    top -= numbers.length;
    const ids = numbers.map((n) => incidentKey(tenant, n));
    const found = new Map<string, IncidentDoc>();
    for (const month of [...months].reverse()) {
      for (const d of await findIn(await archive(db, tenant, month), '_id', ids.filter((id) => !found.has(id)))) found.set(d._id, d);
      if (found.size === ids.length) break;
    }
    const inHot = new Set((await findIn(hot(db), '_id', ids, { projection: { _id: 1 } })).map((d) => d._id));
    for (const n of numbers) {
      const d = found.get(incidentKey(tenant, n));
      if (!d || inHot.has(d._id) || (wanted && !wanted.has(d.state))) continue;
      out.push(toIncident(d));
      if (out.length >= limit) break;
    }
  }
  return out;
}

export async function incidentWithMessage(db: Db, tenant: string, number: number): Promise<{ incident: StoredIncident; message: IncidentMessage | null } | null> {
  const incident = await findIncident(db, tenant, number);
  if (!incident) return null;
  const [m] = await getMessages(db, [incident.message]);
  return {
    incident,
    message: m
      ? {
          text: m.text, authorName: m.author.name, authorId: m.author.id, authorProfileUrl: m.author.profileUrl ?? null, anonymous: m.author.anonymous,
          network: m.network, url: m.place.url ?? null, postedAt: m.createdAt,
          attachments: m.attachments.map((a) => ({ type: a.type, url: a.url })),
        }
      : null,
  };
}

// The read register (recordRead, readsOf) is bound beside it in store/connection.ts (store/read-register.ts).
export function incidentRepositoryOf(db: Db): Omit<IncidentRepository, 'recordRead' | 'readsOf'> {
  return {
    get: (tenant, number) => findIncident(db, tenant, number),
    getMany: (tenant, numbers) => findIncidents(db, tenant, numbers),
    withMessage: (tenant, number) => incidentWithMessage(db, tenant, number),
    byMessages: (ids) => incidentsByMessages(db, ids),
    createMany: (runtime, inputs, now, options) => createIncidents(db, runtime, inputs, now, options),
    earlier: (tenant, number) => earlierIncident(db, tenant, number),
    apply: (runtime, number, command, actor, now) => runCommand(db, runtime, number, command, actor, now),
    awaitingReply: (tenant, authors) => awaitingReply(db, tenant, authors),
    attachReply: (messageId, number) => attachReply(db, messageId, number),
    inbox: (query) => inboxPage(db, query),
    changedSince: (tenant, since) => inboxChangesSince(db, tenant, since),
    open: (filter) => openIncidents(db, filter),
    recentArchived: (tenant, limit, states) => recentArchived(db, tenant, limit, states),
  };
}
