import type { Types } from 'mongoose';
import type { DeadlineRecord } from '../workflow/incident-machine.js';
import type { IncidentState } from '../workflow/incident-states.js';
import type { Store } from './connection.js';
import { incidentModel } from './models/incident.js';
import { violationModel } from './models/violation.js';

/**
 * The deadline watcher's reads and writes. The watcher scans the incidents collection once
 * per tick (not once per claim), and every write it makes is conditional, so two watchers
 * running side by side (two machines sharing one MongoDB) never notify a threshold twice.
 */
export type DueStatus = 'due-soon' | 'overdue';

export interface WatchedIncident {
  readonly _id: Types.ObjectId;
  readonly tenant: string;
  readonly number: number;
  readonly state: IncidentState;
  readonly deadlines: readonly DeadlineRecord[];
  readonly nextDueAt: Date | null;
  readonly dueStatus: DueStatus | null;
  readonly departments: readonly string[];
  readonly departmentIndex: number;
  /** The last draft: the approved one while the incident waits to be published. */
  readonly lastDraftId: string | null;
  readonly manualCheck: boolean;
}

const PUBLISHING_STATES: readonly IncidentState[] = ['approved', 'publishing'];

const incidents = (store: Store) => store.connection.db!.collection(incidentModel(store.connection).collection.name);

/**
 * One query: incidents with a term due before `horizon` (or past), those still marked
 * due-soon or overdue (so the mark is cleared once the term is met), and those waiting to
 * be published (so a publish item lost in a crash is queued again).
 */
export async function scanWatched(store: Store, horizon: Date): Promise<WatchedIncident[]> {
  const docs = await incidents(store)
    .find(
      { $or: [{ nextDueAt: { $ne: null, $lte: horizon } }, { dueStatus: { $in: ['due-soon', 'overdue'] } }, { state: { $in: [...PUBLISHING_STATES] } }] } as never,
      { projection: { tenant: 1, number: 1, state: 1, deadlines: 1, nextDueAt: 1, dueStatus: 1, departments: 1, departmentIndex: 1, drafts: 1, 'publication.manualCheck': 1 } },
    )
    .toArray();
  return docs.map((d) => {
    const drafts = (d.drafts ?? []) as Array<{ id: string }>;
    return {
      _id: d._id as unknown as Types.ObjectId,
      tenant: d.tenant as string,
      number: d.number as number,
      state: d.state as IncidentState,
      deadlines: ((d.deadlines ?? []) as DeadlineRecord[]).map((x) => ({ ...x, notified: x.notified ?? [] })),
      nextDueAt: (d.nextDueAt as Date | null) ?? null,
      dueStatus: (d.dueStatus as DueStatus | null) ?? null,
      departments: (d.departments ?? []) as string[],
      departmentIndex: (d.departmentIndex as number | undefined) ?? 0,
      lastDraftId: drafts.at(-1)?.id ?? null,
      manualCheck: Boolean((d.publication as { manualCheck?: unknown } | undefined)?.manualCheck),
    };
  });
}

export function isAwaitingPublication(incident: WatchedIncident): boolean {
  return PUBLISHING_STATES.includes(incident.state) && !incident.manualCheck && incident.lastDraftId !== null;
}

/**
 * Adds `threshold` to the open term's `notified` list, only if it is not there yet: the
 * one write that decides who notifies. It bumps the revision, so a staff command decided
 * on the incident as it was before (and about to rewrite the deadlines with the old list)
 * fails as a concurrent change and is decided again, instead of erasing the mark.
 * True when this call added it.
 */
export async function markThreshold(store: Store, incidentId: Types.ObjectId, position: number, deadline: Pick<DeadlineRecord, 'step' | 'dueAt'>, threshold: string, now: Date): Promise<boolean> {
  // By position, with the term's identity in the filter: a term moved or replaced since
  // the scan matches nothing, and the next tick reads it afresh (mongo-java-server has no
  // positional `$` after `$elemMatch`).
  const at = `deadlines.${position}`;
  const result = await incidents(store).updateOne(
    { _id: incidentId, [`${at}.step`]: deadline.step, [`${at}.dueAt`]: deadline.dueAt, [`${at}.metAt`]: null, [`${at}.notified`]: { $ne: threshold } } as never,
    { $push: { [`${at}.notified`]: threshold }, $inc: { revision: 1 }, $set: { updatedAt: now } } as never,
  );
  return result.modifiedCount === 1;
}

/** The incident's mark for Compass and the bot; conditional on the mark the watcher read. */
export async function setDueStatus(store: Store, incidentId: Types.ObjectId, from: DueStatus | null, to: DueStatus | null, label: string | null): Promise<boolean> {
  const result = await incidents(store).updateOne(
    { _id: incidentId, dueStatus: from === null ? { $in: [null] } : from } as never,
    { $set: { dueStatus: to, dueStatusLabel: label } } as never,
  );
  return result.modifiedCount === 1;
}

export interface ViolationRecord {
  readonly tenant: string;
  readonly incidentNumber: number;
  readonly step: string;
  readonly stepLabel: string;
  readonly responsible: string | null;
  readonly department: string | null;
  readonly dueAt: Date;
  readonly detectedAt: Date;
  readonly clause: string | null;
}

export function violationId(v: Pick<ViolationRecord, 'tenant' | 'incidentNumber' | 'step' | 'dueAt'>): string {
  return `${v.tenant}:${v.incidentNumber}:${v.step}:${v.dueAt.getTime()}`;
}

/** Records a missed term once (its id is the term's identity); true when this call recorded it. */
export async function recordViolation(store: Store, v: ViolationRecord): Promise<boolean> {
  try {
    await store.connection.db!.collection(violationModel(store.connection).collection.name).insertOne({ _id: violationId(v), ...v } as never);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}

export async function listViolations(store: Store, tenant: string, from: Date, to: Date): Promise<ViolationRecord[]> {
  const rows = await violationModel(store.connection).find({ tenant, dueAt: { $gte: from, $lt: to } }).sort({ dueAt: 1 }).lean().exec();
  return rows.map((r) => ({
    tenant: r.tenant, incidentNumber: r.incidentNumber, step: r.step, stepLabel: r.stepLabel, responsible: r.responsible ?? null,
    department: r.department ?? null, dueAt: r.dueAt, detectedAt: r.detectedAt, clause: r.clause ?? null,
  }));
}
