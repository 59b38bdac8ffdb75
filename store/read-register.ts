import type { Db } from './db.js';
import { collection } from './db.js';
import type { IncidentRead } from './port.js';

/**
 * The read register (152-ФЗ; 004 [1.4]; issue 12 point 10): every view of an incident's
 * card by a staff member, in the staff bot or the web workplace — who, when, through
 * which, and whether the author's name and profile were on it. One document per incident,
 * `_id` `tenant:number`: a view is one upsert by `_id` and the incident's list one read by
 * `_id`, the only keys the embedded server looks up without a scan.
 */
interface ReadsDoc {
  _id: string;
  tenant: string;
  number: number;
  reads: Array<{ who: string; at: Date; via: IncidentRead['via']; personalData: boolean }>;
}

const reads = (db: Db) => collection<ReadsDoc>(db, 'incidentReads');

export async function recordRead(db: Db, read: IncidentRead): Promise<void> {
  await reads(db).updateOne(
    { _id: `${read.tenant}:${read.number}` },
    { $setOnInsert: { tenant: read.tenant, number: read.number }, $push: { reads: { who: read.who, at: read.at, via: read.via, personalData: read.personalData } } },
    { upsert: true },
  );
}

/** Newest first; equal instants by who, so the order never depends on the order of writing. */
export async function readsOf(db: Db, tenant: string, number: number, limit = Number.MAX_SAFE_INTEGER): Promise<IncidentRead[]> {
  const doc = await reads(db).findOne({ _id: `${tenant}:${number}` });
  return (doc?.reads ?? [])
    .map((r) => ({ tenant, number, who: r.who, at: r.at, via: r.via, personalData: r.personalData }))
    .sort((a, b) => b.at.getTime() - a.at.getTime() || a.who.localeCompare(b.who))
    .slice(0, limit);
}
