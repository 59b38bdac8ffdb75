/**
 * The keys documents are stored under. Tenant names are codes of [a-z0-9_-]
 * (config/tenant-schema.ts), so ":" separates the parts unambiguously, and a key is what
 * every hot path looks a document up by: mongo-java-server answers `_id` and `_id: {$in}`
 * from its index, and scans for anything else.
 */

/** A message: unique within its tenant and network, the ingest's idempotency key. */
export function messageKey(tenant: string, network: string, externalId: string): string {
  return `${tenant}:${network}:${externalId}`;
}

/** An incident: the tenant's sequential number, what staff say («обращение № 123»). */
export function incidentKey(tenant: string, number: number): string {
  return `${tenant}:${number}`;
}

/** The month (UTC, "YYYY-MM") an incident number was given in: its archive collection. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/**
 * Archived incidents, one collection per tenant and month their numbers were given in: the
 * monthly report of one municipality reads its own month (mongo-java-server holds what an
 * aggregation matches in memory, so a month of a whole regional centre would not do).
 */
export function archiveCollection(tenant: string, month: string): string {
  return `incidents.archive.${tenant}.${month}`;
}

export const HOT_INCIDENTS = 'incidents';

/** The month before / after "YYYY-MM". */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return monthOf(d);
}

/** Months from `from` to `to` inclusive ("YYYY-MM"). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 1200; m = shiftMonth(m, 1)) out.push(m);
  return out;
}
