import type { Types } from 'mongoose';
import { STATE_INFO } from '../workflow/incident-states.js';
import {
  decide, type Actor, type ClassifyVerdict, type Command, type Decision, type EarlierIncident, type WorkflowIncident,
} from '../workflow/incident-machine.js';
import type { Store } from './connection.js';
import { incidentModel } from './models/incident.js';
import { noticeModel } from './models/notice.js';
import { enqueuePublish } from './publication.js';
import { nextSequenceValue } from './sequences.js';
import type { TenantRuntime } from './tenant-runtime.js';

/**
 * Incidents in the store. Every change is decided by the pure state machine
 * (workflow/incident-machine.ts) and written as one atomic update whose filter holds the
 * state and the revision the decision was made on, with the history entry pushed in
 * the same write: a concurrent change (another curator, a stale bot card, a second
 * worker) makes the later one fail cleanly instead of overwriting.
 */
export type StoredIncident = WorkflowIncident & {
  readonly _id: Types.ObjectId;
  readonly tenant: string;
  readonly message: Types.ObjectId;
  readonly network: string;
  readonly authorId: string;
  readonly stateLabel: string;
  readonly verdict: unknown;
  readonly revision: number;
  readonly publication: { readonly outcome: string | null; readonly outcomeLabel: string | null; readonly attempts?: readonly unknown[] };
};

export class ConcurrentChangeError extends Error {
  override readonly name = 'ConcurrentChangeError';
  /** Reload and decide again: the incident changed under the caller. */
  readonly retryable = true;
  constructor(readonly number: number) {
    super(`Обращение № ${number} только что изменил другой сотрудник или процесс: обновите карточку`);
  }
}

export class IncidentNotFoundError extends Error {
  override readonly name = 'IncidentNotFoundError';
  readonly retryable = false;
  constructor(tenant: string, number: number) {
    super(`Обращение № ${number} не найдено (${tenant})`);
  }
}

/** Decision.set in the store's own paths: publication's outcome without touching its attempts. */
function storedChanges(decision: Decision): Record<string, unknown> {
  const { publication, publicInterest, ...rest } = decision.set;
  return {
    ...rest,
    ...(publication ? { 'publication.outcome': publication.outcome, 'publication.outcomeLabel': publication.outcomeLabel } : {}),
    ...(publicInterest !== undefined ? { 'publication.publicInterest': publicInterest } : {}),
  };
}

async function recordNotices(store: Store, tenant: string, number: number, decision: Decision): Promise<void> {
  if (decision.notices.length === 0) return;
  await noticeModel(store.connection).insertMany(decision.notices.map((n) => ({ tenant, incidentNumber: number, to: n.to, kind: n.kind, text: n.text, createdAt: decision.at, deliveredAt: null })));
}

export interface NewIncidentInput {
  readonly tenant: string;
  readonly messageId: Types.ObjectId;
  readonly network: string;
  readonly authorId: string;
  readonly postedAt: Date;
  readonly detectedAt: Date;
  /** As stored for Compass (classifiers' toStoredVerdict). */
  readonly verdict: unknown;
  /** What the state machine reads of it. */
  readonly classify: ClassifyVerdict;
  readonly earlier?: EarlierIncident | null;
}

/**
 * Makes the incident of a classified message: state "triage" or "rejected" with its
 * deadlines, or nothing new if the message already has one (the unique index on
 * `message` makes a retried classification harmless).
 */
export async function createIncident(store: Store, runtime: TenantRuntime, input: NewIncidentInput, now: Date): Promise<{ incident: StoredIncident; created: boolean; decision: Decision | null }> {
  const Incident = incidentModel(store.connection);
  const existing = await Incident.findOne({ message: input.messageId }).lean().exec();
  if (existing) return { incident: existing as unknown as StoredIncident, created: false, decision: null };
  const number = await nextSequenceValue(store, `incident:${input.tenant}`);
  const fresh: WorkflowIncident = {
    number, state: 'new', topic: null, location: null, importance: 'normal', repeatOf: null, departments: [], assignee: null,
    drafts: [], deadlines: [], nextDueAt: null, publication: { outcome: null, outcomeLabel: null }, history: [],
    detectedAt: input.detectedAt, postedAt: input.postedAt, departmentIndex: 0, rejection: null, appeal: null,
  };
  const decision = decide(fresh, { type: 'classify', verdict: input.classify }, { kind: 'system', name: 'classifier' }, {
    now, profile: runtime.profile, calendar: runtime.calendar, staff: runtime.staff, departments: runtime.departments, earlier: input.earlier ?? null,
  });
  const doc = {
    ...fresh,
    ...storedChanges(decision),
    tenant: input.tenant, message: input.messageId, network: input.network, authorId: input.authorId, verdict: input.verdict,
    state: decision.to, stateLabel: STATE_INFO[decision.to].label,
    publication: { attempts: [], outcome: null, outcomeLabel: null },
    history: [{ who: decision.who, at: decision.at, from: 'new', to: decision.to, why: decision.why }],
    lease: null, revision: 1, createdAt: now, updatedAt: now,
  };
  try {
    await store.connection.db!.collection(Incident.collection.name).insertOne(doc as never);
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    // Another classifier made it between our check and our insert.
    const winner = await Incident.findOne({ message: input.messageId }).lean().exec();
    return { incident: winner as unknown as StoredIncident, created: false, decision: null };
  }
  await recordNotices(store, input.tenant, number, decision);
  return { incident: (await Incident.findOne({ message: input.messageId }).lean().exec()) as unknown as StoredIncident, created: true, decision };
}

export async function findIncident(store: Store, tenant: string, number: number): Promise<StoredIncident | null> {
  return (await incidentModel(store.connection).findOne({ tenant, number }).lean().exec()) as unknown as StoredIncident | null;
}

export async function earlierIncident(store: Store, tenant: string, number: number | null): Promise<EarlierIncident | null> {
  if (number === null) return null;
  const earlier = await findIncident(store, tenant, number);
  if (!earlier) return null;
  const approved = [...earlier.drafts].reverse().find((d) => d.decision === 'approved' || d.decision === 'edited');
  return { number, departments: [...earlier.departments], answer: approved?.text ?? null };
}

/**
 * Decides a command on the incident as stored and writes the decision atomically.
 * Throws WorkflowError (the command is not allowed: a Russian message for staff) or
 * ConcurrentChangeError (someone changed it first: reload and try again).
 */
export async function runCommand(store: Store, runtime: TenantRuntime, number: number, command: Command, actor: Actor, now: Date): Promise<{ decision: Decision; incident: StoredIncident }> {
  const incident = await findIncident(store, runtime.tenant, number);
  if (!incident) throw new IncidentNotFoundError(runtime.tenant, number);
  const decision = decide(incident, command, actor, {
    now, profile: runtime.profile, calendar: runtime.calendar, staff: runtime.staff, departments: runtime.departments,
    // link-repeat names the earlier incident itself; every other command refers to the one linked.
    earlier: await earlierIncident(store, runtime.tenant, command.type === 'link-repeat' ? command.earlier : incident.repeatOf),
  });
  // The publisher's work is queued before the approval is written (intent first): a crash
  // in between leaves an item that finds the draft not approved and is dropped, never an
  // approved answer nobody publishes (000 [13], 001 [16]: 30 minutes to publish).
  const approvedDraft = decision.to === 'approved' && decision.from !== 'approved' ? decision.set.drafts?.at(-1) : undefined;
  if (approvedDraft) await enqueuePublish(store, [{ tenant: runtime.tenant, number, draftId: approvedDraft.id }], now);
  const result = await store.connection.db!.collection(incidentModel(store.connection).collection.name).updateOne(
    { _id: incident._id, state: incident.state, revision: incident.revision } as never,
    {
      $set: { ...storedChanges(decision), state: decision.to, updatedAt: now },
      $inc: { revision: 1 },
      $push: { history: { who: decision.who, at: decision.at, from: decision.from, to: decision.to, why: decision.why } },
    } as never,
  );
  if (result.matchedCount !== 1) throw new ConcurrentChangeError(number);
  await recordNotices(store, runtime.tenant, number, decision);
  return { decision, incident: (await findIncident(store, runtime.tenant, number))! };
}
