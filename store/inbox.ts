import type { IncidentState } from '../workflow/incident-states.js';
import type { Step } from '../workflow/profiles.js';
import type { IncidentDoc } from './archive.js';
import { collection, isDuplicateKey, type Db } from './db.js';
import type { InboxPage, InboxQuery, InboxRow, InboxStateSet } from './port.js';

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
  /** The step whose term is nextDueAt. */
  nextStep: Step | null;
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
  /** When a writer last changed it (the writer's clock): what the workplace's live updates ask for. */
  changedAt: Date;
  /**
   * The incident left the open set (closed, rejected): the entry stays a few minutes so that
   * live updates see it go, then the watcher's repair deletes it.
   */
  gone: boolean;
}

const inbox = (db: Db) => collection<InboxDoc>(db, 'inbox');

const PREVIEW_CHARS = 160;
const SEARCH_CHARS = 1000;

export function searchable(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').slice(0, SEARCH_CHARS);
}

type TermDoc = { step: string; dueAt: Date; metAt?: Date | null; conditional?: boolean };

function nextStepOf(nextDueAt: Date | null, deadlines: readonly TermDoc[]): Step | null {
  if (!nextDueAt) return null;
  const due = nextDueAt.getTime();
  return (deadlines.find((t) => !t.metAt && !t.conditional && t.dueAt.getTime() === due)?.step as Step | undefined) ?? null;
}

/** The entry's fields that follow the incident (the text parts are kept from when it was made). */
export function inboxFields(doc: IncidentDoc): Omit<InboxDoc, '_id' | 'preview' | 'search'> {
  const d = doc as IncidentDoc & Record<string, unknown>;
  const departments = (d.departments as string[] | undefined) ?? [];
  const nextDueAt = (d.nextDueAt as Date | null | undefined) ?? null;
  return {
    tenant: d.tenant, number: d.number, state: d.state, revision: d.revision,
    nextDueAt, nextStep: nextStepOf(nextDueAt, (d.deadlines as TermDoc[] | undefined) ?? []), dueStatus: (d.dueStatus as string | null | undefined) ?? null,
    topic: (d.topic as string | null | undefined) ?? null, location: (d.location as string | null | undefined) ?? null,
    network: String(d.network), importance: String(d.importance ?? 'normal'), repeatOf: (d.repeatOf as number | null | undefined) ?? null,
    department: departments[(d.departmentIndex as number | undefined) ?? 0] ?? departments[0] ?? null, departments,
    assignee: (d.assignee as string | null | undefined) ?? null, detectedAt: d.detectedAt as Date,
    manualCheck: Boolean((d.publication as { manualCheck?: unknown } | undefined)?.manualCheck),
    changedAt: new Date(), gone: false,
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

/** The entry leaves with the incident (closed, rejected): marked gone by key, deleted by the repair a few minutes later. */
export async function dropInboxEntry(db: Db, id: string, state?: IncidentState): Promise<void> {
  await inbox(db).updateOne({ _id: id }, { $set: { gone: true, changedAt: new Date(), ...(state ? { state } : {}) } });
}

/** How long an entry of a closed incident stays for live updates to see it go. */
const GONE_KEPT_MS = 10 * 60_000;

export async function purgeGoneInboxEntries(db: Db, now: Date): Promise<number> {
  const result = await inbox(db).deleteMany({ gone: true, changedAt: { $lt: new Date(now.getTime() - GONE_KEPT_MS) } });
  return result.deletedCount;
}

/** A field the watcher or the publisher sets without a new revision (the due mark, a person's check). */
export async function touchInboxEntry(db: Db, id: string, revision: number, set: Partial<Pick<InboxDoc, 'dueStatus' | 'manualCheck'>>): Promise<void> {
  await inbox(db).updateOne({ _id: id, revision }, { $set: { ...set, changedAt: new Date() } });
}

/**
 * Numbers of the tenant's open incidents changed (or closed) after `since`, up to `latest`:
 * a second behind now, so a write still in flight with an earlier stamp is caught next time.
 */
export async function inboxChangesSince(db: Db, tenant: string, since: Date, now = new Date()): Promise<{ numbers: number[]; latest: Date }> {
  const latest = new Date(Math.max(since.getTime(), now.getTime() - 1000));
  const docs = await inbox(db).find({ tenant, changedAt: { $gt: since, $lte: latest } }, { projection: { number: 1 } }).toArray();
  return { numbers: docs.map((d) => d.number), latest };
}

const DUE_SOON_MS = 4 * 3600 * 1000;

function inSet(set: InboxStateSet, d: Pick<InboxDoc, 'state' | 'manualCheck'>): boolean {
  return set.states.includes(d.state) && (set.manualCheck === undefined || d.manualCheck === set.manualCheck);
}

/**
 * One inbox page: the store filters by the tenant and who may see it, the rest (queues'
 * counts, filters, due, search) is judged on the small entries here, sorted by the next term
 * (none last), then by number.
 */
export async function inboxPage(db: Db, query: InboxQuery): Promise<InboxPage> {
  const filter: Record<string, unknown> = { tenant: query.tenant, gone: { $ne: true } };
  if (query.visibleTo) {
    // An executor: the incidents of their departments, and those held by them or by whom they stand in for.
    filter.$or = [{ departments: { $in: [...query.visibleTo.departments] } }, { assignee: { $in: [...query.visibleTo.assignees] } }];
  }
  const needle = query.text ? searchable(query.text.trim()) : '';
  const docs = await inbox(db).find(filter, needle ? {} : { projection: { search: 0 } }).toArray();
  const counts: Record<string, number> = {};
  for (const [id, set] of Object.entries(query.counts ?? {})) counts[id] = docs.filter((d) => inSet(set, d)).length;
  const nowMs = (query.now ?? new Date()).getTime();
  const rows = docs.filter((d) => {
    if (query.states && query.states.length > 0 && !query.states.includes(d.state)) return false;
    if (query.departments && !query.departments.includes(d.department ?? '')) return false;
    if (query.department && !d.departments.includes(query.department)) return false;
    if (query.network && d.network !== query.network) return false;
    if (query.topic && d.topic !== query.topic) return false;
    if (query.importance && d.importance !== query.importance) return false;
    if (query.manualCheck !== undefined && d.manualCheck !== query.manualCheck) return false;
    if (query.assignee && d.assignee !== query.assignee) return false;
    if (query.number !== undefined && d.number !== query.number) return false;
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
    counts,
    rows: rows.slice(offset, offset + limit).map((d): InboxRow => {
      const { _id, search: _search, changedAt: _changed, gone: _gone, ...rest } = d;
      return { ...rest, nextStep: rest.nextStep ?? null, id: _id };
    }),
  };
}

/** Every entry's key, revision and whether it is gone, for the consistency check. */
export async function inboxRevisions(db: Db): Promise<Map<string, { revision: number; gone: boolean }>> {
  const docs = await inbox(db).find({}, { projection: { revision: 1, gone: 1 } }).toArray();
  return new Map(docs.map((d) => [d._id, { revision: d.revision, gone: d.gone === true }]));
}
