import type { InboxFilters, InboxPage, InboxQuery, InboxRow } from '../../web/ports.js';
import type { Importance } from '../../workflow/profiles.js';
import { isVisible } from '../../web/access.js';
import { isArchivedState } from '../archive.js';
import type { InboxRow as StoreRow, Store, StoredIncident } from '../port.js';

/**
 * The inbox on the store's port: open queues from the small inbox entries
 * (`store.incidents.inbox`, one scan of the tenant's open set whatever the history);
 * closed and rejected ones, which grow without end, from the newest archived incidents,
 * read by key.
 */
const EXCERPT_CHARS = 160;
/** The closed and rejected queues list the newest ones: older ones are found by number. */
export const ARCHIVED_LISTED = 200;

function excerpt(text: string): string {
  const full = text.replace(/\s+/g, ' ').trim();
  return full.length > EXCERPT_CHARS ? `${full.slice(0, EXCERPT_CHARS - 1)}…` : full;
}

function numberAsked(text: string | undefined): number | undefined {
  const match = text ? /^№?\s*(\d+)$/.exec(text.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

function fromStore(r: StoreRow): InboxRow {
  return {
    number: r.number, state: r.state, network: r.network, topic: r.topic, location: r.location, importance: r.importance as Importance,
    repeatOf: r.repeatOf, departments: r.departments, department: r.department, assignee: r.assignee,
    nextDueAt: r.nextDueAt, nextStep: r.nextStep, detectedAt: r.detectedAt, excerpt: excerpt(r.preview), manualCheck: r.manualCheck,
  };
}

async function openPage(store: Store, q: InboxQuery): Promise<InboxPage> {
  const f = q.filters;
  const number = numberAsked(f.text);
  const page = await store.incidents.inbox({
    tenant: q.tenant, states: q.list.states, ...(q.list.manualCheck !== undefined ? { manualCheck: q.list.manualCheck } : {}),
    ...(q.visibility.kind === 'limited' ? { visibleTo: { departments: q.visibility.departments, assignees: q.visibility.staff } } : {}),
    counts: q.count,
    ...(f.network ? { network: f.network } : {}), ...(f.topic ? { topic: f.topic } : {}), ...(f.department ? { department: f.department } : {}),
    ...(f.importance ? { importance: f.importance } : {}), ...(f.due ? { due: f.due } : {}), ...(f.repeat !== undefined ? { repeat: f.repeat } : {}),
    ...(number !== undefined ? { number } : f.text ? { text: f.text } : {}),
    now: q.now, soonMs: q.dueSoonMs, offset: q.page * q.pageSize, limit: q.pageSize,
  });
  return { rows: page.rows.map(fromStore), total: page.total, counts: page.counts };
}

function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

function matches(i: StoredIncident, text: string, f: InboxFilters, number: number | undefined): boolean {
  if (f.network && i.network !== f.network) return false;
  if (f.topic && i.topic !== f.topic) return false;
  if (f.department && !i.departments.includes(f.department)) return false;
  if (f.importance && i.importance !== f.importance) return false;
  if (f.repeat !== undefined && (i.repeatOf !== null) !== f.repeat) return false;
  // Closed ones have no running term.
  if (f.due) return false;
  if (number !== undefined) return i.number === number;
  if (f.text && ![text, i.topic ?? '', i.location ?? ''].some((t) => fold(t).includes(fold(f.text!)))) return false;
  return true;
}

async function archivedPage(store: Store, q: InboxQuery): Promise<InboxPage> {
  const number = numberAsked(q.filters.text);
  const recent = number !== undefined
    ? (await store.incidents.getMany(q.tenant, [number])).filter((i) => q.list.states.includes(i.state))
    : await store.incidents.recentArchived(q.tenant, ARCHIVED_LISTED, q.list.states);
  const visible = recent.filter((i) => isVisible(q.visibility, i));
  const texts = new Map((await store.messages.getMany(visible.map((i) => i.message))).map((m) => [m.id, m.text]));
  const matching = visible.filter((i) => matches(i, texts.get(i.message) ?? '', q.filters, number));
  const rows = matching.slice(q.page * q.pageSize, (q.page + 1) * q.pageSize).map((i): InboxRow => ({
    number: i.number, state: i.state, network: i.network, topic: i.topic, location: i.location, importance: i.importance,
    repeatOf: i.repeatOf, departments: i.departments, department: i.departments[i.departmentIndex ?? 0] ?? null, assignee: i.assignee,
    nextDueAt: null, nextStep: null, detectedAt: i.detectedAt, excerpt: excerpt(texts.get(i.message) ?? ''), manualCheck: false,
  }));
  // The tabs' counts are of the open queues; asked for with an archived list, they are counted apart.
  const counts = Object.keys(q.count).length > 0 ? (await openPage(store, { ...q, page: 0, pageSize: 0 })).counts : {};
  return { rows, total: matching.length, counts };
}

export async function inboxPage(store: Store, q: InboxQuery): Promise<InboxPage> {
  return q.list.states.some(isArchivedState) ? archivedPage(store, q) : openPage(store, q);
}
