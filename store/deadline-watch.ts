import { hot, isArchivedState } from './archive.js';
import { syncInboxEntry, touchInboxEntry } from './inbox.js';
import { collection, isDuplicateKey, type Db } from './db.js';
import type { DeadlineRepository, DueItem, DueStatus, StoredIncident, ViolationRecord } from './port.js';
import type { DeadlineRecord } from '../workflow/incident-machine.js';
import type { Step } from '../workflow/profiles.js';
import { PUBLISHING_STATES } from '../workflow/escalation.js';
import { openIncidents, toIncident } from './incidents.js';
import { dropFiledUpTo, filedBetween, fileWatched, fileWritten, unfile } from './watch-slots.js';
import { findIn } from './key-lists.js';

/**
 * The deadline watcher's reads and writes. Each escalation threshold of a term is marked
 * once by its own key in `termMarks` — an insert that only one of two watchers can make —
 * instead of in the incident, so a mark never bumps the incident's revision and never makes
 * a staff command decided a moment earlier fail as a concurrent change; the incident's
 * due-soon / overdue label is written fenced by the revision it was judged on, without
 * bumping it.
 */
export async function markedThresholds(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const docs = await findIn(collection(db, 'termMarks'), '_id', keys, { projection: { _id: 1 } });
  return new Set(docs.map((d) => String(d._id)));
}

export async function markThreshold(db: Db, key: string, now: Date): Promise<boolean> {
  try {
    await collection(db, 'termMarks').insertOne({ _id: key as never, at: now });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function setDueStatus(db: Db, incident: StoredIncident, to: DueStatus | null, label: string | null): Promise<boolean> {
  const result = await hot(db).updateOne(
    { _id: incident.id, state: incident.state, revision: incident.revision },
    { $set: { dueStatus: to, dueStatusLabel: label } },
  );
  if (result.matchedCount === 1) await touchInboxEntry(db, incident.id, incident.revision, { dueStatus: to });
  return result.matchedCount === 1;
}

/** Recomputed terms, fenced by the revision they were computed on, with a history entry for the record. */
export async function reviseTerms(db: Db, incident: StoredIncident, deadlines: readonly DeadlineRecord[], nextDueAt: Date | null, now: Date): Promise<boolean> {
  const result = await hot(db).updateOne(
    { _id: incident.id, state: incident.state, revision: incident.revision },
    {
      $set: { deadlines: [...deadlines], nextDueAt, updatedAt: now },
      $inc: { revision: 1 },
      $push: { history: { who: 'system:watcher', at: now, from: incident.state, to: incident.state, why: 'Сроки пересчитаны по загруженному производственному календарю' } },
    } as never,
  );
  if (result.matchedCount !== 1) return false;
  const after = await hot(db).findOne({ _id: incident.id });
  if (after) {
    await syncInboxEntry(db, after);
    await fileWritten(db, [after], now.getTime());
  }
  return true;
}

/** Open incidents by `_id`: what the watcher's minutes list. */
export async function incidentsByIds(db: Db, ids: readonly string[]): Promise<StoredIncident[]> {
  if (ids.length === 0) return [];
  const docs = await findIn(hot(db), '_id', ids);
  return docs.filter((d) => !isArchivedState(d.state)).map(toIncident);
}

/**
 * Every open incident filed under its first watch time: what a watcher does once at start,
 * so that incidents written before the minutes were kept (or in a crash between a write and
 * its filing) are watched by key from then on. One scan, with a projection.
 */
export async function fileAllOpen(db: Db, nowMs: number): Promise<void> {
  const docs = await hot(db).find({}, { projection: { _id: 1, state: 1, nextDueAt: 1, dueStatus: 1 } }).toArray();
  await fileWritten(db, docs.filter((d) => !isArchivedState(d.state)), nowMs);
}

export async function watchedIncidents(db: Db, horizon: Date): Promise<StoredIncident[]> {
  const docs = await hot(db).find({
    $or: [
      { nextDueAt: { $ne: null, $lte: horizon } },
      { dueStatus: { $in: ['due-soon', 'overdue'] } },
      { state: { $in: [...PUBLISHING_STATES] } },
      { 'deadlines.provisional.years': { $exists: true } },
    ],
  } as never).toArray();
  return docs.filter((d) => !isArchivedState(d.state)).map(toIncident);
}

export function violationId(v: Pick<ViolationRecord, 'tenant' | 'incidentNumber' | 'step' | 'dueAt'>): string {
  return `${v.tenant}:${v.incidentNumber}:${v.step}:${v.dueAt.getTime()}`;
}

/** Records a missed term once (its id is the term's identity); true when this call recorded it. */
export async function recordViolation(db: Db, v: ViolationRecord): Promise<boolean> {
  try {
    await collection(db, 'violations').insertOne({ _id: violationId(v) as never, ...v });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** A month's missed terms, for the report: a scan of `violations`, which grows by the missed terms only. */
export async function listViolations(db: Db, tenant: string, from: Date, to: Date): Promise<ViolationRecord[]> {
  const rows = await collection(db, 'violations').find({ tenant, dueAt: { $gte: from, $lt: to } }).sort({ dueAt: 1 }).toArray();
  return rows.map((r) => ({
    tenant: r.tenant as string, incidentNumber: r.incidentNumber as number, step: r.step as string, stepLabel: r.stepLabel as string,
    responsible: (r.responsible as string | null) ?? null, department: (r.department as string | null) ?? null,
    dueAt: r.dueAt as Date, detectedAt: r.detectedAt as Date, clause: (r.clause as string | null) ?? null,
  }));
}

/**
 * "Due soon" for /due and `otklik due`: the open incidents' open, unconditional terms due
 * before `now + soonMs`, earliest first. Conditional terms (a return, a clarification) apply
 * only if the step happens, so they are never listed.
 */
export async function dueItems(db: Db, now: Date, soonMs: number, tenant?: string): Promise<DueItem[]> {
  const horizon = now.getTime() + soonMs;
  const items: DueItem[] = [];
  for (const d of await openIncidents(db, tenant ? { tenant } : {})) {
    if (d.nextDueAt === null || d.nextDueAt.getTime() > horizon) continue;
    const department = d.departments[d.departmentIndex ?? 0] ?? null;
    for (const t of d.deadlines) {
      if (t.metAt || t.conditional || t.dueAt.getTime() > horizon) continue;
      items.push({
        tenant: d.tenant, number: d.number, stateLabel: d.stateLabel, step: t.step as Step, dueAt: t.dueAt,
        responsible: t.responsible ?? null, department, overdue: t.dueAt.getTime() < now.getTime(), clause: t.clause ?? null,
        provisional: t.provisional?.note ?? null, awaitsAuthor: t.awaitsAuthor === true,
      });
    }
  }
  return items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.number - b.number);
}

export function deadlineRepositoryOf(db: Db): DeadlineRepository {
  return {
    watched: (horizon) => watchedIncidents(db, horizon),
    marked: (keys) => markedThresholds(db, keys),
    mark: (key, now) => markThreshold(db, key, now),
    setDueStatus: (incident, to, label) => setDueStatus(db, incident, to, label),
    revise: (incident, deadlines, nextDueAt, now) => reviseTerms(db, incident, deadlines, nextDueAt, now),
    recordViolation: (v) => recordViolation(db, v),
    violations: (tenant, from, to) => listViolations(db, tenant, from, to),
    due: (now, soonMs, tenant) => dueItems(db, now, soonMs, tenant),
    filed: (fromMinute, toMinute) => filedBetween(db, fromMinute, toMinute),
    byIds: (ids) => incidentsByIds(db, ids),
    unfile: (read) => unfile(db, read),
    refile: (incidents, nowMs) => fileWatched(db, incidents, nowMs),
    fileAllOpen: (nowMs) => fileAllOpen(db, nowMs),
    dropFiledUpTo: (minute) => dropFiledUpTo(db, minute),
  };
}
