import type { mongo } from 'mongoose';
import { collection, type Db } from './db.js';

/**
 * A tenant's configuration without multi-document transactions (the embedded server has
 * none): each section (departments, staff, keyword lists, gazetteer) is a set of rows that
 * carry a version number, and the tenant document names the active version of each. An
 * import writes the new rows under a fresh version beside the active ones, then switches
 * the tenant's versions, its own fields and its Telegram directory in one update fenced by
 * the tenant's revision. Until that update nothing a reader sees has changed; after it,
 * everything has. A failure before it leaves the old configuration whole (the new rows are
 * deleted, or collected by the next import); a failure after it leaves only garbage.
 *
 * The replaced version is kept until the next import starts, so a reader that read the
 * tenant's versions just before a switch still finds complete rows behind them.
 *
 * Departments, staff and keyword lists are small: their versions share one collection each,
 * rows keyed (tenant, version, code). A gazetteer may hold 60,000 entries, and the embedded
 * server paid for that in one shared collection (measured at 60,000 entries: 12.5–17.9 s to
 * insert a version under its unique indexes, 12.8 s to delete a replaced one, 7.9 s to read a
 * version beside another), so each gazetteer version from 1 on is a collection of its own,
 * `gazetteer.<tenant>.<version>` (6.4 s to write, 2.3 s to read whole, 0.3 s to drop). Version
 * 0 is what the previous release wrote: the tenant's rows in the shared `gazetteer`.
 */
export const VERSIONED_SECTIONS = ['departments', 'staff', 'keywordLists', 'gazetteer'] as const;
export type VersionedSection = (typeof VERSIONED_SECTIONS)[number];

export type SectionVersions = Record<VersionedSection, number>;

export const NO_VERSIONS: SectionVersions = { departments: 0, staff: 0, keywordLists: 0, gazetteer: 0 };

/** One import's rows not yet switched in: found and removed if the import died. */
interface DraftMarker {
  _id: string;
  tenant: string;
  section: VersionedSection;
  version: number;
  until: Date;
}

type Row = Record<string, unknown>;

const shared = (db: Db, section: VersionedSection) => collection<Row>(db, section);
const drafts = (db: Db) => collection<DraftMarker>(db, 'configDrafts');

/** Where one section's versions live: rows in a shared collection, or a collection per version. */
interface SectionStorage {
  find(db: Db, tenant: string, version: number): Promise<Row[]>;
  insert(db: Db, tenant: string, version: number, batch: Row[]): Promise<void>;
  discard(db: Db, tenant: string, version: number): Promise<number>;
  /** Removes every version older than `active`; returns how many rows or collections went. */
  collectOlder(db: Db, tenant: string, section: VersionedSection, active: number): Promise<number>;
}

const sharedStorage = (section: VersionedSection): SectionStorage => ({
  find: (db, tenant, version) => shared(db, section).find({ tenant, version }).toArray(),
  insert: async (db, tenant, version, batch) => void (await shared(db, section).insertMany(batch.map((row) => ({ ...row, tenant, version })) as mongo.OptionalId<Row>[], { ordered: true })),
  discard: async (db, tenant, version) => (await shared(db, section).deleteMany({ tenant, version })).deletedCount,
  collectOlder: async (db, tenant, _section, active) => (await shared(db, section).deleteMany({ tenant, version: { $lt: active } })).deletedCount,
});

export function gazetteerCollection(tenant: string, version: number): string {
  return `gazetteer.${tenant}.${version}`;
}

const gazetteerStorage: SectionStorage = {
  find: (db, tenant, version) => (version === 0 ? shared(db, 'gazetteer').find({ tenant, version: 0 }).toArray() : collection<Row>(db, gazetteerCollection(tenant, version)).find({}).toArray()),
  insert: async (db, tenant, version, batch) => {
    if (version === 0) throw new RangeError('gazetteer version 0 is the previous release\'s and is never written');
    await collection<Row>(db, gazetteerCollection(tenant, version)).insertMany(batch.map((row) => ({ ...row, tenant, version })) as mongo.OptionalId<Row>[], { ordered: true });
  },
  discard: async (db, tenant, version) => ((await dropIfThere(db, gazetteerCollection(tenant, version))) ? 1 : 0),
  collectOlder: async (db, tenant, _section, active) => {
    let removed = 0;
    if (active > 0) removed += (await shared(db, 'gazetteer').deleteMany({ tenant })).deletedCount;
    const prefix = `gazetteer.${tenant}.`;
    for (const c of await db.connection.db!.listCollections({}, { nameOnly: true }).toArray()) {
      if (!c.name.startsWith(prefix)) continue;
      const version = Number(c.name.slice(prefix.length));
      if (Number.isInteger(version) && version < active && (await dropIfThere(db, c.name))) removed += 1;
    }
    return removed;
  },
};

async function dropIfThere(db: Db, name: string): Promise<boolean> {
  return collection(db, name).drop().catch((error: { codeName?: string; code?: number }) => {
    if (error.codeName === 'NamespaceNotFound' || error.code === 26) return false;
    throw error;
  });
}

const STORAGE: Record<VersionedSection, SectionStorage> = {
  departments: sharedStorage('departments'),
  staff: sharedStorage('staff'),
  keywordLists: sharedStorage('keywordLists'),
  gazetteer: gazetteerStorage,
};

export function versionsOf(doc: { versions?: Partial<Record<string, number | null>> | null } | null | undefined): SectionVersions {
  const v = doc?.versions ?? {};
  return { departments: v.departments ?? 0, staff: v.staff ?? 0, keywordLists: v.keywordLists ?? 0, gazetteer: v.gazetteer ?? 0 };
}

/**
 * A filter on a stored version or revision number: 0 also matches a tenant written before
 * it had the field (it reads as 0 everywhere).
 */
export function numberOrMissing(value: number): number | { $in: Array<number | null> } {
  return value === 0 ? { $in: [0, null] } : value;
}

/** The tenant document's version fields; null when there is no such tenant. */
export async function tenantVersions(db: Db, tenant: string): Promise<{ versions: SectionVersions; revision: number } | null> {
  const doc = await collection(db, 'tenants').findOne({ name: tenant }, { projection: { versions: 1, revision: 1 } });
  return doc ? { versions: versionsOf(doc as never), revision: (doc.revision as number | undefined) ?? 0 } : null;
}

/**
 * The filter that selects a shared section's active rows (departments, staff, keyword
 * lists), for readers outside the import: the classifier's dictionaries, the reports'
 * directory. A tenant that does not exist has no rows: version 0 of nobody.
 */
export async function activeRowsFilter(db: Db, tenant: string, section: Exclude<VersionedSection, 'gazetteer'>): Promise<{ tenant: string; version: number }> {
  const head = await tenantVersions(db, tenant);
  return { tenant, version: head?.versions[section] ?? 0 };
}

/** A section's active rows, wherever its version lives (the classifier reads the gazetteer so). */
export async function activeSectionRows<T = Row>(db: Db, tenant: string, section: VersionedSection): Promise<T[]> {
  const head = await tenantVersions(db, tenant);
  return sectionRows<T>(db, tenant, section, head?.versions[section] ?? 0);
}

export async function sectionRows<T = Row>(db: Db, tenant: string, section: VersionedSection, version: number): Promise<T[]> {
  return (await STORAGE[section].find(db, tenant, version)) as unknown as T[];
}

export interface WriteProgress {
  (line: string): void;
}

export interface WriteVersionOptions {
  readonly now: Date;
  /** Rows per insert: bounded round trips (60,000 entries are 60 inserts). */
  readonly batchSize?: number;
  /** How long the draft is protected from another import's clean-up without a sign of life. */
  readonly leaseMs?: number;
  readonly onProgress?: WriteProgress;
  readonly label?: string;
}

const DEFAULT_BATCH = 1000;
const DEFAULT_LEASE_MS = 10 * 60 * 1000;

function draftId(tenant: string, section: VersionedSection, version: number): string {
  return `${tenant}:${section}:${version}`;
}

/**
 * Writes one section's rows under `version`, in batches, with a progress line per batch.
 * The draft marker goes first, so a crash midway leaves rows that the next import finds and
 * removes once the marker's lease has run out.
 */
export async function writeSectionVersion(db: Db, tenant: string, section: VersionedSection, version: number, entries: readonly Row[], options: WriteVersionOptions): Promise<void> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const id = draftId(tenant, section, version);
  await drafts(db).insertOne({ _id: id, tenant, section, version, until: new Date(options.now.getTime() + leaseMs) });
  const started = Date.now();
  for (let from = 0; from < entries.length; from += batchSize) {
    await STORAGE[section].insert(db, tenant, version, entries.slice(from, from + batchSize) as Row[]);
    const written = Math.min(from + batchSize, entries.length);
    if (entries.length > batchSize) {
      // A sign of life: a long section keeps its draft from being taken for a dead one.
      await drafts(db).updateOne({ _id: id }, { $set: { until: new Date(options.now.getTime() + (Date.now() - started) + leaseMs) } });
      options.onProgress?.(`${options.label ?? section}: записано ${written} из ${entries.length}`);
    }
  }
}

/** The switched-in draft is no longer one. */
export async function forgetDraft(db: Db, tenant: string, section: VersionedSection, version: number): Promise<void> {
  await drafts(db).deleteOne({ _id: draftId(tenant, section, version) });
}

/** Removes the rows of a draft that will never be switched in (this import failed). */
export async function discardDraft(db: Db, tenant: string, section: VersionedSection, version: number): Promise<void> {
  await STORAGE[section].discard(db, tenant, version);
  await forgetDraft(db, tenant, section, version);
}

/**
 * What earlier imports left behind: the versions older than the active one (replaced by an
 * import before the last, or drafts of imports that lost the race), and drafts whose
 * import died. Run at the start of an import, when no reader still holds an older version.
 */
export async function collectGarbage(db: Db, tenant: string, now: Date): Promise<number> {
  const head = await tenantVersions(db, tenant);
  let removed = 0;
  if (head) {
    for (const section of VERSIONED_SECTIONS) {
      // Versions are handed out after the tenant's revision is read, so a draft older than the
      // active version belongs to an import whose switch can no longer succeed.
      removed += await STORAGE[section].collectOlder(db, tenant, section, head.versions[section]);
    }
  }
  for (const dead of await drafts(db).find({ tenant, until: { $lt: now } }).toArray()) {
    if (head && head.versions[dead.section] === dead.version) {
      // Switched in, but the marker outlived a crash: the rows are the live ones.
      await drafts(db).deleteOne({ _id: dead._id });
      continue;
    }
    removed += await STORAGE[dead.section].discard(db, tenant, dead.version);
    await drafts(db).deleteOne({ _id: dead._id, until: dead.until });
  }
  return removed;
}
