import type { Store } from './connection.js';
import { departmentModel } from './models/department.js';
import { incidentModel } from './models/incident.js';
import { staffModel } from './models/staff.js';
import { tenantModel } from './models/tenant.js';
import { UnknownTenantError } from './tenant-config.js';

/**
 * The monthly report's raw figures (003 [13]), each computed by the store with only the
 * aggregation stages and operators the store contract suite verifies on both servers
 * (store/contract/checks.ts): $match, $group, $cond/$eq in $sum, $dateToString with a
 * time zone, $facet, $unwind, $push, $project, $sort, $limit. Comparisons between two
 * fields of one document ($expr, $gt on fields) are not among them, so the deadline rows
 * come out as rows and reports/monthly-figures.ts judges each one met or missed.
 */

export interface Period {
  /** Inclusive start, exclusive end: an incident belongs to the month it was detected in. */
  readonly from: Date;
  readonly to: Date;
  readonly timeZone: string;
}

export interface CountRow {
  readonly key: string | null;
  readonly count: number;
}

export interface ReportCounts {
  readonly total: number;
  readonly byState: CountRow[];
  readonly byNetwork: CountRow[];
  readonly byTopic: CountRow[];
  readonly byLocation: CountRow[];
  readonly byDepartment: CountRow[];
  readonly byImportance: CountRow[];
  readonly byDay: CountRow[];
  readonly repeats: number;
}

export interface DeadlineRow {
  readonly number: number;
  readonly step: string;
  readonly dueAt: Date;
  readonly metAt: Date | null;
  readonly responsible: string | null;
  /** The department holding the incident: where a deadline with no person is counted. */
  readonly department: string | null;
}

export interface AnswerRow {
  readonly number: number;
  readonly detectedAt: Date;
  readonly answeredAt: Date;
}

export interface RejectionRow {
  /** The curator's reason label, when a curator rejected it. */
  readonly curatorReason: string | null;
  /** The classifier's reason, when the classifier rejected it. */
  readonly classifierReason: string | null;
  readonly count: number;
}

export interface ProblemRow {
  readonly topic: string | null;
  readonly location: string | null;
  readonly count: number;
  readonly high: number;
  readonly numbers: number[];
}

export interface RepeatRow {
  readonly repeatOf: number;
  readonly count: number;
}

export interface TenantDirectory {
  readonly title: string;
  readonly timeZone: string;
  readonly departments: ReadonlyMap<string, string>;
  readonly staff: ReadonlyMap<string, { readonly fullName: string; readonly department: string | null; readonly roles: readonly string[] }>;
}

/** States in which the answer reached the author (publication succeeded). */
export const ANSWERED_STATES = ['published', 'published-private'] as const;

function rows(raw: Array<{ _id: unknown; count: number }> | undefined): CountRow[] {
  return (raw ?? []).map((r) => ({ key: r._id === null || r._id === undefined || r._id === '' ? null : String(r._id), count: r.count }));
}

function inPeriod(tenant: string, period: Period): Record<string, unknown> {
  return { tenant, detectedAt: { $gte: period.from, $lt: period.to } };
}

export async function loadTenantDirectory(store: Store, tenant: string): Promise<TenantDirectory> {
  const t = await tenantModel(store.connection).findOne({ name: tenant }).lean().exec();
  if (!t) throw new UnknownTenantError(tenant);
  const [departments, staff] = await Promise.all([
    departmentModel(store.connection).find({ tenant }).lean().exec(),
    staffModel(store.connection).find({ tenant }).lean().exec(),
  ]);
  return {
    title: t.title,
    timeZone: t.timeZone,
    departments: new Map(departments.map((d) => [d.code, d.name])),
    staff: new Map(staff.map((s) => [s.code, { fullName: s.fullName, department: s.department ?? null, roles: [...s.roles] as string[] }])),
  };
}

export async function reportCounts(store: Store, tenant: string, period: Period): Promise<ReportCounts> {
  const byCount = { $sort: { count: -1 as const, _id: 1 as const } };
  const [facets] = await incidentModel(store.connection).aggregate<Record<string, Array<{ _id: unknown; count: number }>>>([
    { $match: inPeriod(tenant, period) },
    { $facet: {
      total: [{ $group: { _id: null, count: { $sum: 1 } } }],
      byState: [{ $group: { _id: '$state', count: { $sum: 1 } } }, byCount],
      byNetwork: [{ $group: { _id: '$network', count: { $sum: 1 } } }, byCount],
      // Topic, location and department describe the messages taken into work: a rejected
      // one (obscene, advertising…) has none of them that matters to the head.
      byTopic: [{ $match: { state: { $ne: 'rejected' } } }, { $group: { _id: '$topic', count: { $sum: 1 } } }, byCount],
      byLocation: [{ $match: { state: { $ne: 'rejected' } } }, { $group: { _id: '$location', count: { $sum: 1 } } }, byCount],
      byDepartment: [{ $match: { state: { $ne: 'rejected' } } }, { $unwind: '$departments' }, { $group: { _id: '$departments', count: { $sum: 1 } } }, byCount],
      byImportance: [{ $match: { state: { $ne: 'rejected' } } }, { $group: { _id: '$importance', count: { $sum: 1 } } }, byCount],
      byDay: [{ $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$detectedAt', timezone: period.timeZone } }, count: { $sum: 1 } } }, { $sort: { _id: 1 } }],
      repeats: [{ $match: { repeatOf: { $ne: null } } }, { $group: { _id: null, count: { $sum: 1 } } }],
    } },
  ]).exec();
  return {
    total: facets?.total?.[0]?.count ?? 0,
    byState: rows(facets?.byState),
    byNetwork: rows(facets?.byNetwork),
    byTopic: rows(facets?.byTopic),
    byLocation: rows(facets?.byLocation),
    byDepartment: rows(facets?.byDepartment),
    byImportance: rows(facets?.byImportance),
    byDay: rows(facets?.byDay),
    repeats: facets?.repeats?.[0]?.count ?? 0,
  };
}

/**
 * Every deadline that fell due within the period (000 [17], 003 [12]: the head judges
 * terms in the month they ran out, whenever the incident arrived), conditional ones
 * excluded: a term for a step that never happened was never owed.
 */
export async function reportDeadlines(store: Store, tenant: string, period: Period): Promise<DeadlineRow[]> {
  const raw = await incidentModel(store.connection).aggregate<{
    number: number; step: string; dueAt: Date; metAt: Date | null; responsible: string | null; departments: string[]; departmentIndex: number | null;
  }>([
    { $match: { tenant, 'deadlines.dueAt': { $gte: period.from, $lt: period.to } } },
    { $unwind: '$deadlines' },
    { $match: { 'deadlines.dueAt': { $gte: period.from, $lt: period.to }, 'deadlines.conditional': { $ne: true } } },
    { $project: {
      _id: 0, number: 1, departments: 1, departmentIndex: 1,
      step: '$deadlines.step', dueAt: '$deadlines.dueAt', metAt: '$deadlines.metAt', responsible: '$deadlines.responsible',
    } },
    { $sort: { number: 1, dueAt: 1 } },
  ]).exec();
  return raw.map((r) => ({
    number: r.number, step: r.step, dueAt: r.dueAt, metAt: r.metAt ?? null, responsible: r.responsible ?? null,
    department: r.departments?.[r.departmentIndex ?? 0] ?? r.departments?.[0] ?? null,
  }));
}

/** Incidents detected in the period whose answer reached the author: the first publication in the history. */
export async function reportAnswers(store: Store, tenant: string, period: Period): Promise<AnswerRow[]> {
  const raw = await incidentModel(store.connection).aggregate<{ _id: number; detectedAt: Date; answeredAt: Date }>([
    { $match: { ...inPeriod(tenant, period), state: { $in: [...ANSWERED_STATES] } } },
    { $unwind: '$history' },
    { $match: { 'history.to': { $in: [...ANSWERED_STATES] } } },
    { $group: { _id: '$number', detectedAt: { $min: '$detectedAt' }, answeredAt: { $min: '$history.at' } } },
    { $sort: { _id: 1 } },
  ]).exec();
  return raw.map((r) => ({ number: r._id, detectedAt: r.detectedAt, answeredAt: r.answeredAt }));
}

export async function reportRejections(store: Store, tenant: string, period: Period): Promise<RejectionRow[]> {
  const raw = await incidentModel(store.connection).aggregate<{ _id: { curator: string | null; classifier: string | null }; count: number }>([
    { $match: { ...inPeriod(tenant, period), state: 'rejected' } },
    { $group: { _id: { curator: '$rejection.label', classifier: '$verdict.reason' }, count: { $sum: 1 } } },
    { $sort: { count: -1 } },
  ]).exec();
  return raw.map((r) => ({ curatorReason: r._id.curator ?? null, classifierReason: r._id.classifier ?? null, count: r.count }));
}

/** The most frequent problems: topic and place together, the way a head names a problem. */
export async function reportProblems(store: Store, tenant: string, period: Period, limit: number): Promise<ProblemRow[]> {
  const raw = await incidentModel(store.connection).aggregate<{ _id: { topic: string | null; location: string | null }; count: number; high: number; numbers: number[] }>([
    { $match: { ...inPeriod(tenant, period), state: { $ne: 'rejected' } } },
    { $group: {
      _id: { topic: '$topic', location: '$location' },
      count: { $sum: 1 },
      high: { $sum: { $cond: [{ $eq: ['$importance', 'high'] }, 1, 0] } },
      numbers: { $push: '$number' },
    } },
    { $sort: { count: -1, high: -1 } },
    { $limit: limit },
  ]).exec();
  return raw.map((r) => ({ topic: r._id.topic ?? null, location: r._id.location ?? null, count: r.count, high: r.high, numbers: [...r.numbers].sort((a, b) => a - b) }));
}

/** Earlier incidents that the period's repeated messages refer to (001 [19], 003 [11]). */
export async function reportRepeats(store: Store, tenant: string, period: Period, limit: number): Promise<RepeatRow[]> {
  const raw = await incidentModel(store.connection).aggregate<{ _id: number; count: number }>([
    { $match: { ...inPeriod(tenant, period), repeatOf: { $ne: null } } },
    { $group: { _id: '$repeatOf', count: { $sum: 1 } } },
    { $sort: { count: -1, _id: 1 } },
    { $limit: limit },
  ]).exec();
  return raw.map((r) => ({ repeatOf: r._id, count: r.count }));
}

/** Topic and location of the given incidents (the earlier ones repeats point at). */
export async function incidentSubjects(store: Store, tenant: string, numbers: readonly number[]): Promise<Map<number, { topic: string | null; location: string | null }>> {
  if (numbers.length === 0) return new Map();
  const docs = await incidentModel(store.connection).find({ tenant, number: { $in: [...numbers] } }, { number: 1, topic: 1, location: 1 }).lean().exec();
  return new Map(docs.map((d) => [d.number, { topic: d.topic ?? null, location: d.location ?? null }]));
}
