import type { Step } from '../workflow/profiles.js';
import type { Store } from './connection.js';
import { incidentModel } from './models/incident.js';

/**
 * "Due soon" for /due and `otklik due`: the shortest ordinary answer term of the presets
 * is 4 working hours (high importance, 000 [9], 001 [8]); a term closer than that is at risk.
 */
export const DUE_SOON_MS = 4 * 3600 * 1000;

/** One open term that is due soon or overdue, for `/due` in the bot and `otklik due`. */
export interface DueItem {
  readonly tenant: string;
  readonly number: number;
  readonly stateLabel: string;
  readonly step: Step;
  readonly dueAt: Date;
  /** Staff code; null: the curators (triage, review). */
  readonly responsible: string | null;
  /** The department holding the incident now (001 [21]), or null before routing. */
  readonly department: string | null;
  readonly overdue: boolean;
  readonly clause: string | null;
}

/**
 * Open, unconditional terms due before `now + soonMs`, earliest first. Conditional terms
 * (a return, a clarification) apply only if the step happens, so they are never listed.
 */
export async function dueItems(store: Store, now: Date, soonMs: number, tenant?: string): Promise<DueItem[]> {
  const horizon = new Date(now.getTime() + soonMs);
  const docs = await incidentModel(store.connection)
    .find({ ...(tenant ? { tenant } : {}), nextDueAt: { $ne: null, $lte: horizon } })
    .lean()
    .exec();
  const items: DueItem[] = [];
  for (const d of docs) {
    const department = d.departments[d.departmentIndex ?? 0] ?? null;
    for (const t of d.deadlines) {
      if (t.metAt || t.conditional || t.dueAt.getTime() > horizon.getTime()) continue;
      items.push({
        tenant: d.tenant, number: d.number, stateLabel: d.stateLabel, step: t.step as Step, dueAt: t.dueAt,
        responsible: t.responsible ?? null, department, overdue: t.dueAt.getTime() < now.getTime(), clause: t.clause ?? null,
      });
    }
  }
  return items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.number - b.number);
}
