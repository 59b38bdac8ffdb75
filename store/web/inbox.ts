import { isVisible } from '../../web/access.js';
import type { InboxPage, InboxQuery, InboxRow, StateSet } from '../../web/ports.js';
import type { Store } from '../connection.js';
import { incidentModel } from '../models/incident.js';
import { messageTexts, OPEN_STATES, ROW_FIELDS, toRow, type OpenIncidents, type OpenRow, type RowDoc } from './open-incidents.js';

/**
 * The inbox: open queues from the rows kept in this process (store/web/open-incidents.ts),
 * filtered and sorted here; rejected and closed ones, which grow without end, are read
 * when asked for, by an equality filter on {tenant, state} (the exact keys of its index).
 */
const EXCERPT_CHARS = 160;

/** ё and е are one letter to a searcher. */
function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

function inSet(set: StateSet, r: OpenRow): boolean {
  return set.states.includes(r.state) && (set.manualCheck === undefined || r.manualCheck === set.manualCheck);
}

async function rowsOf(store: Store, open: OpenIncidents, tenant: string, sets: readonly StateSet[]): Promise<OpenRow[]> {
  const states = [...new Set(sets.flatMap((s) => s.states))];
  const closed = states.filter((s) => !OPEN_STATES.includes(s));
  const rows = states.some((s) => OPEN_STATES.includes(s)) ? [...(await open.rows(tenant))] : [];
  if (closed.length > 0) {
    const incidents = store.connection.db!.collection(incidentModel(store.connection).collection.name);
    const docs = (await Promise.all(closed.map((state) => incidents.find({ tenant, state } as never, { projection: ROW_FIELDS }).toArray()))).flat() as unknown as RowDoc[];
    const texts = await messageTexts(store, docs.map((d) => d.message));
    rows.push(...docs.map((d) => toRow(d, texts.get(String(d.message)) ?? '')));
  }
  return rows;
}

export async function inboxPage(store: Store, open: OpenIncidents, q: InboxQuery): Promise<InboxPage> {
  const all = await rowsOf(store, open, q.tenant, [q.list, ...Object.values(q.count)]);
  const visible = all.filter((r) => isVisible(q.visibility, r));
  const counts: Record<string, number> = {};
  for (const [id, set] of Object.entries(q.count)) counts[id] = visible.filter((r) => inSet(set, r)).length;

  const f = q.filters;
  const nowMs = q.now.getTime();
  const text = f.text?.trim();
  const byNumber = text ? /^№?\s*(\d+)$/.exec(text) : null;
  const needle = text && !byNumber ? fold(text) : null;
  const matching = visible.filter((r) => {
    if (!inSet(q.list, r)) return false;
    if (f.network && r.network !== f.network) return false;
    if (f.topic && r.topic !== f.topic) return false;
    if (f.department && !r.departments.includes(f.department)) return false;
    if (f.importance && r.importance !== f.importance) return false;
    if (f.repeat !== undefined && (r.repeatOf !== null) !== f.repeat) return false;
    if (f.due) {
      const dueMs = r.nextDueAt?.getTime();
      if (dueMs === undefined) return false;
      if (f.due === 'overdue' && dueMs >= nowMs) return false;
      if (f.due === 'soon' && (dueMs < nowMs || dueMs >= nowMs + q.dueSoonMs)) return false;
    }
    if (byNumber && r.number !== Number(byNumber[1])) return false;
    if (needle && ![r.text, r.topic ?? '', r.location ?? ''].some((t) => fold(t).includes(needle))) return false;
    return true;
  });
  // By the next term, the nearest first; those without a running term last.
  matching.sort((a, b) => (a.nextDueAt?.getTime() ?? Infinity) - (b.nextDueAt?.getTime() ?? Infinity) || a.number - b.number);
  const rows: InboxRow[] = matching.slice(q.page * q.pageSize, (q.page + 1) * q.pageSize).map((r) => {
    const full = r.text.replace(/\s+/g, ' ').trim();
    return {
      number: r.number, state: r.state, network: r.network, topic: r.topic, location: r.location, importance: r.importance,
      repeatOf: r.repeatOf, departments: r.departments, department: r.departments[r.departmentIndex] ?? null, assignee: r.assignee,
      nextDueAt: r.nextDueAt, nextStep: r.nextStep, detectedAt: r.detectedAt,
      excerpt: full.length > EXCERPT_CHARS ? `${full.slice(0, EXCERPT_CHARS - 1)}…` : full, manualCheck: r.manualCheck,
    };
  });
  return { rows, total: matching.length, counts };
}
