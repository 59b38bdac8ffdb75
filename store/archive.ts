import { STATE_INFO, type IncidentState } from '../workflow/incident-states.js';
import { collection, isDuplicateKey, type Db } from './db.js';
import { archiveCollection, HOT_INCIDENTS, monthOf, shiftMonth } from './ids.js';
import { incidentSchema } from './models/incident.js';
import { dropInboxEntry } from './inbox.js';

/**
 * Closed and rejected incidents leave the hot `incidents` collection for one archive
 * collection per tenant and month their numbers were given in
 * (`incidents.archive.zarechensk.2026-11`). The hot
 * collection then holds only the open incidents — what the watcher, `due` and the inbox
 * scan — and its size follows the work in hand, not the years behind it; the monthly report
 * reads the archive months its period can reach; a lookup by number finds the month from
 * the first number each month started with (`numberMonths`).
 */

/** Rejected or closed: nothing more happens to it unless a curator overturns a rejection. */
export function isArchivedState(state: IncidentState): boolean {
  return state === 'rejected' || STATE_INFO[state].final;
}

export interface IncidentDoc {
  _id: string;
  tenant: string;
  number: number;
  state: IncidentState;
  revision: number;
  archiveMonth: string;
  message: string;
  [field: string]: unknown;
}

export const hot = (db: Db) => collection<IncidentDoc>(db, HOT_INCIDENTS);

const prepared = new WeakMap<Db, Set<string>>();

/** An archive month's collection to read (reading never creates one). */
export async function archive(db: Db, tenant: string, month: string) {
  return collection<IncidentDoc>(db, archiveCollection(tenant, month));
}

/** An archive month's collection to write into, with the same unique indexes as the hot one (the fence, the message), made once per process. */
export async function archiveForWrite(db: Db, tenant: string, month: string) {
  const name = archiveCollection(tenant, month);
  let known = prepared.get(db);
  if (!known) prepared.set(db, (known = new Set()));
  if (!known.has(name)) {
    await prepareArchiveCollection(db, name);
    known.add(name);
  }
  return collection<IncidentDoc>(db, name);
}

/**
 * Gives an archive collection the hot collection's unique indexes, with exactly the options
 * every process uses: mongo-java-server keeps a second copy of an index created again with
 * other options (a restore's, say), and then cannot drop the collection.
 */
export async function prepareArchiveCollection(db: Db, name: string): Promise<void> {
  const c = collection<IncidentDoc>(db, name);
  for (const [keys, options] of incidentSchema.indexes()) {
    await c.createIndex(keys as Record<string, 1 | -1>, { ...(options as object), background: false }).catch((error: { codeName?: string }) => {
      // Another process made it with the same keys under a generated name: that is the same index.
      if (error.codeName !== 'IndexOptionsConflict' && error.codeName !== 'IndexKeySpecsConflict') throw error;
    });
  }
}

// ---------------------------------------------------------------------------------------
// Which month an incident number belongs to

interface MonthStart {
  readonly month: string;
  readonly first: number;
}

const monthCache = new WeakMap<Db, Map<string, MonthStart[]>>();

/** Records that the tenant gave `first` (or a lower number) in `month`: one upsert by `_id` with $min. */
export async function recordMonthStart(db: Db, tenant: string, month: string, first: number): Promise<void> {
  try {
    await collection(db, 'numberMonths').updateOne(
      { _id: `${tenant}:${month}` as never },
      { $min: { first }, $setOnInsert: { tenant, month } },
      { upsert: true },
    );
  } catch (error) {
    // Two first writers of the month raced on the insert: the other's upsert won; apply ours as an update.
    if (!isDuplicateKey(error)) throw error;
    await collection(db, 'numberMonths').updateOne({ _id: `${tenant}:${month}` as never }, { $min: { first } });
  }
  monthCache.get(db)?.delete(tenant);
}

async function monthStarts(db: Db, tenant: string, refresh: boolean): Promise<MonthStart[]> {
  let byTenant = monthCache.get(db);
  if (!byTenant) monthCache.set(db, (byTenant = new Map()));
  const cached = byTenant.get(tenant);
  if (cached && !refresh) return cached;
  // A scan of a collection with one document per tenant and month: small for decades.
  const docs = await collection(db, 'numberMonths').find({ tenant }).toArray();
  const starts = docs.map((d) => ({ month: d.month as string, first: d.first as number })).sort((a, b) => a.first - b.first);
  byTenant.set(tenant, starts);
  return starts;
}

/** The archive months that may hold `number`: the month it was given in, and its neighbours for numbers given across a month's turn. */
export async function monthsFor(db: Db, tenant: string, number: number): Promise<string[]> {
  let starts = await monthStarts(db, tenant, false);
  if (starts.length === 0 || number >= (starts.at(-1)?.first ?? 0)) starts = await monthStarts(db, tenant, true);
  let found: string | null = null;
  for (const s of starts) if (s.first <= number) found = s.month;
  if (found === null) return starts.length > 0 ? [starts[0]!.month] : [];
  return [found, shiftMonth(found, 1), shiftMonth(found, -1)];
}

/** Every archive month the tenant has numbers in, oldest first. */
export async function tenantMonths(db: Db, tenant: string): Promise<string[]> {
  return (await monthStarts(db, tenant, true)).map((s) => s.month);
}

/** Where a number given at `now` is archived. */
export function archiveMonthAt(now: Date): string {
  return monthOf(now);
}

// ---------------------------------------------------------------------------------------
// Moving between the hot collection and the archive

/**
 * Moves a closed incident (as it is now in the hot collection) to its archive month: the
 * copy is written first and the hot document removed under the fence it was read with, so a
 * crash in between leaves it in both places — found and finished by `repair` — never in
 * neither. Reads prefer the hot copy, so a half-finished move shows nothing stale.
 */
export async function moveToArchive(db: Db, doc: IncidentDoc): Promise<void> {
  const { _id, ...rest } = doc;
  await (await archiveForWrite(db, doc.tenant, doc.archiveMonth)).replaceOne({ _id }, rest, { upsert: true });
  await hot(db).deleteOne({ _id, state: doc.state, revision: doc.revision });
  await dropInboxEntry(db, _id, doc.state);
}

/** Brings an archived incident back to the hot set (an overturned rejection), under its new revision. */
export async function moveToHot(db: Db, updated: IncidentDoc, previous: Pick<IncidentDoc, '_id' | 'tenant' | 'state' | 'revision' | 'archiveMonth'>): Promise<boolean> {
  try {
    await hot(db).insertOne(updated);
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
  await (await archive(db, previous.tenant, previous.archiveMonth)).deleteOne({ _id: previous._id, state: previous.state, revision: previous.revision });
  return true;
}
