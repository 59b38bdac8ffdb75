import { INCIDENT_STATES } from '../workflow/incident-states.js';
import { archive, hot, isArchivedState, moveToArchive, type IncidentDoc } from './archive.js';
import { backupTo, reconcile, restoreFrom } from './backup.js';
import { collection, type Db } from './db.js';
import { dropInboxEntry, inboxRevisions, purgeGoneInboxEntries, syncInboxEntry } from './inbox.js';
import { getMessages } from './messages.js';
import type { ConsistencyReport, MaintenanceRepository } from './port.js';
import { fileHighImportance } from './report-events.js';
import { findIn } from './key-lists.js';

/**
 * What a crash between two writes can leave, found and finished: an incident closed in the
 * hot collection whose move to the archive did not complete, and an archived copy left
 * behind by an overturned rejection that came back to the hot set. Both are found from the
 * hot set alone (its size is the work in hand), by `_id`, so the check costs the same at
 * any size of the archive. The watcher runs it on every tick; `otklik store check` too.
 */
const ARCHIVED_STATES = INCIDENT_STATES.filter(isArchivedState);

export async function repair(db: Db): Promise<ConsistencyReport> {
  // The store filters: only what a crash can have left, never the whole open set.
  // One read for both: the embedded store answers each filter on state by decoding every
  // open incident.
  let archived = 0;
  for (const d of await hot(db).find({ state: { $in: [...ARCHIVED_STATES, 'awaiting-author'] } }).toArray()) {
    if (d.state === 'awaiting-author') {
      // Authors a clarification request waits for: an entry a crash did not write is written now.
      await collection(db, 'awaitingReplies').updateOne({ _id: `${d.tenant}:${String(d.network)}:${String(d.authorId)}` as never }, { $addToSet: { numbers: d.number } }, { upsert: true });
    } else {
      await moveToArchive(db, d);
      archived += 1;
    }
  }
  await purgeGoneInboxEntries(db, new Date());
  return { archived, duplicatesRemoved: 0, problems: [] };
}

export async function check(db: Db): Promise<ConsistencyReport> {
  const { archived } = await repair(db);
  let duplicatesRemoved = 0;
  const problems: string[] = [];
  const open = await hot(db).find({}, { projection: { _id: 1, tenant: 1, state: 1, revision: 1, archiveMonth: 1 } }).toArray();
  const byMonth = new Map<string, IncidentDoc[]>();
  for (const d of open) {
    if (typeof d.archiveMonth !== 'string') {
      problems.push(`${d._id}: нет поля archiveMonth`);
      continue;
    }
    const key = `${d.tenant}|${d.archiveMonth}`;
    byMonth.set(key, [...(byMonth.get(key) ?? []), d]);
  }
  for (const [key, list] of byMonth) {
    const [tenant, month] = key.split('|') as [string, string];
    const c = await archive(db, tenant, month);
    const stale = await findIn(c, '_id', list.map((d) => d._id), { projection: { _id: 1, state: 1, revision: 1 } });
    for (const s of stale) {
      const current = list.find((d) => d._id === s._id)!;
      // The hot copy is the newer one (it was written first and carries the next revision).
      if (s.revision < current.revision) {
        await c.deleteOne({ _id: s._id, state: s.state, revision: s.revision });
        duplicatesRemoved += 1;
      } else problems.push(`${s._id}: в архиве ревизия ${s.revision}, в работе ${current.revision}`);
    }
  }
  const whole = await hot(db).find({}).toArray();
  const inboxMended = await mendInbox(db, whole);
  if (inboxMended > 0) problems.push(`записи входящих исправлены: ${inboxMended}`);
  // Incidents of high importance written before their alerts were kept by key: filed now
  // (the alerts drop what is older than they look back).
  await fileHighImportance(db, whole
    .filter((d) => d.importance === 'high' && !isArchivedState(d.state))
    .map((d) => ({ _id: d._id, tenant: d.tenant, detectedAt: d.detectedAt as Date })));
  return { archived, duplicatesRemoved, problems };
}

/**
 * The inbox's entries brought in line with the open incidents: one written where a crash
 * left none, an older revision refreshed, one whose incident left removed. Returns how many.
 */
async function mendInbox(db: Db, open: readonly IncidentDoc[]): Promise<number> {
  const entries = await inboxRevisions(db);
  let mended = 0;
  const missing = open.filter((d) => !isArchivedState(d.state) && !entries.has(d._id));
  const texts = new Map((await getMessages(db, missing.map((d) => d.message))).map((m) => [m.id, m.text]));
  for (const d of open) {
    if (isArchivedState(d.state)) continue;
    const entry = entries.get(d._id);
    if (entry === undefined) {
      await syncInboxEntry(db, d, texts.get(d.message) ?? '');
      mended += 1;
    } else if (entry.revision < d.revision || entry.gone) {
      await syncInboxEntry(db, d);
      mended += 1;
    }
    entries.delete(d._id);
  }
  for (const [id, entry] of entries) {
    if (entry.gone) continue;
    await dropInboxEntry(db, id);
    mended += 1;
  }
  return mended;
}

const COUNTED = ['messages', 'incidents', 'work.classify', 'work.publish', 'work.notice', 'work.job', 'work.dead', 'notices', 'repeatLog', 'activity', 'termMarks', 'violations'];

export async function collectionCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of COUNTED) out[name] = await collection(db, name).estimatedDocumentCount();
  const archives = (await db.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith('incidents.archive.')).sort();
  for (const name of archives) out[name] = await collection(db, name).estimatedDocumentCount();
  return out;
}

export function maintenanceOf(db: Db, uri: string): MaintenanceRepository {
  return {
    repair: () => repair(db),
    check: () => check(db),
    counts: () => collectionCounts(db),
    backup: (file, progress) => backupTo(db, file, progress),
    async restore(file, progress) {
      const restored = await restoreFrom(db, file, progress);
      const { requeuedMessages } = await reconcile(db, progress);
      await check(db);
      return { ...restored, requeuedMessages };
    },
    dropDatabase: async () => {
      await db.connection.dropDatabase();
    },
    uri,
  };
}
