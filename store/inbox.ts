import type { IncidentState } from '../workflow/incident-states.js';
import type { IncidentDoc } from './archive.js';
import { collection, isDuplicateKey, type Db } from './db.js';
import type { InboxPage, InboxQuery, InboxRow } from './port.js';

/**
 * The open incidents as the staff inbox lists and filters them: one small document per
 * open incident (`inbox`, `_id` the incident's key), a few hundred bytes where the incident
 * is kilobytes, so that a queue of 10,000 is read and sorted in one short scan and only the
 * page's rows are shown. Written after each fenced change of the incident, under a
 * compare-and-set on its revision (never an older revision over a newer one); a crash
 * between the two writes is mended by the consistency check (store/maintenance.ts).
 */
export interface InboxDoc {
  _id: string;
  tenant: string;
  number: number;
  state: IncidentState;
  revision: number;
  nextDueAt: Date | null;
  dueStatus: string | null;
  topic: string | null;
  location: string | null;
  network: string;
  importance: string;
  repeatOf: number | null;
  /** The department holding it now (001 [21]): what an executor's inbox is limited to. */
  department: string | null;
  departments: string[];
  assignee: string | null;
  detectedAt: Date;
  manualCheck: boolean;
  /** The message's first words, for the list. */
  preview: string;
  /** The message's text in lower case with ё as е, for the search box. */
  search: string;
}

const inbox = (db: Db) => collection<InboxDoc>(db, 'inbox');

const PREVIEW_CHARS = 160;
const SEARCH_CHARS = 1000;

export function searchable(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').slice(0, SEARCH_CHARS);
}

/** The entry's fields that follow the incident (the text parts are kept from when it was made). */
export function inboxFields(doc: IncidentDoc): Omit<InboxDoc, '_id' | 'preview' | 'search'> {
  const d = doc as IncidentDoc & Record<string, unknown>;
  const departments = (d.departments as string[] | undefined) ?? [];
  return {
    tenant: d.tenant, number: d.number, state: d.state, revision: d.revision,
    nextDueAt: (d.nextDueAt as Date | null | undefined) ?? null, dueStatus: (d.dueStatus as string | null | undefined) ?? null,
    topic: (d.topic as string | null | undefined) ?? null, location: (d.location as string | null | undefined) ?? null,
    network: String(d.network), importance: String(d.importance ?? 'normal'), repeatOf: (d.repeatOf as number | null | undefined) ?? null,
    department: departments[(d.departmentIndex as number | undefined) ?? 0] ?? departments[0] ?? null, departments,
    assignee: (d.assignee as string | null | undefined) ?? null, detectedAt: d.detectedAt as Date,
    manualCheck: Boolean((d.publication as { manualCheck?: unknown } | undefined)?.manualCheck),
  };
}

export function newInboxDoc(doc: IncidentDoc, text: string): InboxDoc {
  return { _id: doc._id, ...inboxFields(doc), preview: text.slice(0, PREVIEW_CHARS), search: searchable(text) };
}

/** Entries of new incidents, in one insert (a retried batch finds them there). */
export async function addInboxEntries(db: Db, entries: readonly InboxDoc[]): Promise<void> {
  if (entries.length === 0) return;
  await inbox(db).insertMany([...entries], { ordered: false }).catch((error: unknown) => {
    if (!isDuplicateKey(error) && !(error as { writeErrors?: unknown }).writeErrors) throw error;
  });
}

/**
 * The entry brought to the incident's revision: a compare-and-set on the revision read, by
 * exactly the keys of the unique index {_id, revision}, so two writers never put an older
 * revision over a newer one. `text` makes a missing entry whole (an incident back from the
 * archive); without it a missing entry is left for the consistency check.
 */
export async function syncInboxEntry(db: Db, doc: IncidentDoc, text?: string): Promise<void> {
  const fields = inboxFields(doc);
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await inbox(db).findOne({ _id: doc._id }, { projection: { revision: 1 } });
    if (!current) {
      if (text === undefined) return;
      try {
        await inbox(db).insertOne(newInboxDoc(doc, text));
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        continue;
      }
    }
    if (current.revision > doc.revision) return;
    const result = await inbox(db).updateOne({ _id: doc._id, revision: current.revision }, { $set: fields });
    if (result.matchedCount === 1) return;
  }
}

/** The entry leaves with the incident (closed, rejected): by key. */
export async function dropInboxEntry(db: Db, id: string): Promise<void> {
  await inbox(db).deleteOne({ _id: id });
}

/** A field the watcher or the publisher sets without a new revision (the due mark, a person's check). */
export async function touchInboxEntry(db: Db, id: string, revision: number, set: Partial<Pick<InboxDoc, 'dueStatus' | 'manualCheck'>>): Promise<void> {
  await inbox(db).updateOne({ _id: id, revision }, { $set: set });
}

const DUE_SOON_MS = 4 * 3600 * 1000;

/**
 * One inbox page: the store filters by the plain fields, the rest (due, search) is judged on
 * the small entries here, sorted by the next term (none last), then by number.
 */
export async function inboxPage(db: Db, query: InboxQuery): Promise<InboxPage> {
  const filter: Record<string, unknown> = { tenant: query.tenant };
  if (query.states && query.states.length > 0) filter.state = { $in: [...query.states] };
  if (query.departments) filter.department = { $in: [...query.departments] };
  if (query.network) filter.network = query.network;
  if (query.topic) filter.topic = query.topic;
  if (query.importance) filter.importance = query.importance;
  if (query.manualCheck !== undefined) filter.manualCheck = query.manualCheck;
  if (query.assignee) filter.assignee = query.assignee;
  const needle = query.text ? searchable(query.text.trim()) : '';
  const docs = await inbox(db).find(filter, needle ? {} : { projection: { search: 0 } }).toArray();
  const nowMs = (query.now ?? new Date()).getTime();
  const rows = docs.filter((d) => {
    if (needle && !(d.search ?? '').includes(needle)) return false;
    if (query.repeat !== undefined && (d.repeatOf !== null) !== query.repeat) return false;
    if (query.due === 'overdue' && !(d.nextDueAt && d.nextDueAt.getTime() < nowMs)) return false;
    if (query.due === 'soon' && !(d.nextDueAt && d.nextDueAt.getTime() >= nowMs && d.nextDueAt.getTime() < nowMs + (query.soonMs ?? DUE_SOON_MS))) return false;
    return true;
  });
  rows.sort((a, b) => (a.nextDueAt?.getTime() ?? Infinity) - (b.nextDueAt?.getTime() ?? Infinity) || a.number - b.number);
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  return {
    total: rows.length,
    rows: rows.slice(offset, offset + limit).map((d): InboxRow => {
      const { _id, search: _search, ...rest } = d;
      return { ...rest, id: _id };
    }),
  };
}

/** Every entry's key and revision, for the consistency check. */
export async function inboxRevisions(db: Db): Promise<Map<string, number>> {
  const docs = await inbox(db).find({}, { projection: { revision: 1 } }).toArray();
  return new Map(docs.map((d) => [d._id, d.revision]));
}
