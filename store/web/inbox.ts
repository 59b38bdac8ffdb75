import { isVisible } from '../../web/access.js';
import type { InboxPage, InboxQuery, InboxRow, StateSet } from '../../web/ports.js';
import type { IncidentState } from '../../workflow/incident-states.js';
import type { Importance, Step } from '../../workflow/profiles.js';
import type { Store } from '../connection.js';
import { incidentModel } from '../models/incident.js';
import { messageModel } from '../models/message.js';

/**
 * The inbox on today's incidents collection. Each state is read with an equality filter
 * on {tenant, state}, the exact keys of its index (the embedded server uses an index only
 * then); the rest is filtered and sorted here. The lead's "open incidents" key collection
 * can serve the same query once it lands.
 */
const ROW_FIELDS = {
  number: 1, state: 1, network: 1, topic: 1, location: 1, importance: 1, repeatOf: 1, departments: 1, departmentIndex: 1,
  assignee: 1, nextDueAt: 1, deadlines: 1, detectedAt: 1, message: 1, 'publication.manualCheck': 1,
} as const;

/** Message texts are read in chunks of this many ids ($in on `_id`, its own index). */
const TEXT_CHUNK = 500;
const EXCERPT_CHARS = 160;

interface RowDoc {
  number: number; state: IncidentState; network: string; topic?: string | null; location?: string | null; importance?: Importance;
  repeatOf?: number | null; departments?: string[]; departmentIndex?: number; assignee?: string | null; nextDueAt?: Date | null;
  deadlines?: Array<{ step: string; dueAt: Date; metAt?: Date | null; conditional?: boolean }>; detectedAt: Date; message: unknown;
  publication?: { manualCheck?: unknown };
}

/** ё and е are one letter to a searcher. */
function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

async function messageTexts(store: Store, ids: readonly unknown[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const messages = store.connection.db!.collection(messageModel(store.connection).collection.name);
  for (let i = 0; i < ids.length; i += TEXT_CHUNK) {
    const chunk = ids.slice(i, i + TEXT_CHUNK);
    const docs = await messages.find({ _id: { $in: chunk } } as never, { projection: { text: 1 } }).toArray();
    for (const d of docs) out.set(String(d._id), typeof d.text === 'string' ? d.text : '');
  }
  return out;
}

function inSet(set: StateSet, d: RowDoc): boolean {
  return set.states.includes(d.state) && (set.manualCheck === undefined || (d.publication?.manualCheck != null) === set.manualCheck);
}

function nextStepOf(d: RowDoc): Step | null {
  if (!d.nextDueAt) return null;
  const due = d.nextDueAt.getTime();
  return (d.deadlines ?? []).find((t) => !t.metAt && !t.conditional && t.dueAt.getTime() === due)?.step as Step | undefined ?? null;
}

export async function inboxPage(store: Store, q: InboxQuery): Promise<InboxPage> {
  const incidents = store.connection.db!.collection(incidentModel(store.connection).collection.name);
  const sets = [q.list, ...Object.values(q.count)];
  const states = [...new Set(sets.flatMap((s) => s.states))];
  const docs = (await Promise.all(states.map((state) => incidents.find({ tenant: q.tenant, state }, { projection: ROW_FIELDS }).toArray())))
    .flat() as unknown as RowDoc[];
  const visible = docs.filter((d) => isVisible(q.visibility, { departments: d.departments ?? [], assignee: d.assignee ?? null }));
  const counts: Record<string, number> = {};
  for (const [id, set] of Object.entries(q.count)) counts[id] = visible.filter((d) => inSet(set, d)).length;

  const f = q.filters;
  const nowMs = q.now.getTime();
  let matching = visible.filter((d) => {
    if (!inSet(q.list, d)) return false;
    if (f.network && d.network !== f.network) return false;
    if (f.topic && d.topic !== f.topic) return false;
    if (f.department && !(d.departments ?? []).includes(f.department)) return false;
    if (f.importance && (d.importance ?? 'normal') !== f.importance) return false;
    if (f.repeat !== undefined && (d.repeatOf != null) !== f.repeat) return false;
    if (f.due) {
      const dueMs = d.nextDueAt?.getTime();
      if (dueMs === undefined) return false;
      if (f.due === 'overdue' && dueMs >= nowMs) return false;
      if (f.due === 'soon' && (dueMs < nowMs || dueMs >= nowMs + q.dueSoonMs)) return false;
    }
    return true;
  });
  const text = f.text?.trim();
  if (text) {
    const byNumber = /^№?\s*(\d+)$/.exec(text);
    if (byNumber) {
      matching = matching.filter((d) => d.number === Number(byNumber[1]));
    } else {
      const needle = fold(text);
      const texts = await messageTexts(store, matching.map((d) => d.message));
      matching = matching.filter((d) => [texts.get(String(d.message)) ?? '', d.topic ?? '', d.location ?? ''].some((t) => fold(t).includes(needle)));
    }
  }
  // By the next term, the nearest first; those without a running term last (001 [8]: terms decide the order of work).
  matching.sort((a, b) => (a.nextDueAt?.getTime() ?? Infinity) - (b.nextDueAt?.getTime() ?? Infinity) || a.number - b.number);
  const pageDocs = matching.slice(q.page * q.pageSize, (q.page + 1) * q.pageSize);
  const texts = await messageTexts(store, pageDocs.map((d) => d.message));
  const rows: InboxRow[] = pageDocs.map((d) => {
    const full = (texts.get(String(d.message)) ?? '').replace(/\s+/g, ' ').trim();
    return {
      number: d.number, state: d.state, network: d.network, topic: d.topic ?? null, location: d.location ?? null, importance: d.importance ?? 'normal',
      repeatOf: d.repeatOf ?? null, departments: d.departments ?? [], department: d.departments?.[d.departmentIndex ?? 0] ?? null,
      assignee: d.assignee ?? null, nextDueAt: d.nextDueAt ?? null, nextStep: nextStepOf(d), detectedAt: d.detectedAt,
      excerpt: full.length > EXCERPT_CHARS ? `${full.slice(0, EXCERPT_CHARS - 1)}…` : full,
      manualCheck: d.publication?.manualCheck != null,
    };
  });
  return { rows, total: matching.length, counts };
}
