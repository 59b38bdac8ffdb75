import type { FastifyInstance } from 'fastify';
import { DUE_SOON_MS } from '../../workflow/terms.js';
import type { InboxFilters, StaffAccount, StateSet } from '../ports.js';
import { queueOf, QUEUES, type Queue } from '../queues.js';
import { isHtmx, sendPage, type WebDeps } from '../server.js';
import { inboxFragment, inboxPage } from '../views/inbox.js';
import { messagePage } from '../views/sign-in.js';

/** Rows per page: one screen of work; the next page is a link away. */
export const PAGE_SIZE = 50;

type InboxQuerystring = Partial<Record<'queue' | 'network' | 'topic' | 'department' | 'importance' | 'due' | 'repeat' | 'q' | 'page', string>>;

function defaultQueue(account: StaffAccount): Queue {
  return queueOf(account.roles.includes('curator') ? 'triage' : account.roles.includes('executor') ? 'executor' : 'triage')!;
}

export function readFilters(q: InboxQuerystring): InboxFilters {
  const one = (v: string | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined);
  const importance = q.importance === 'high' || q.importance === 'normal' ? q.importance : undefined;
  const due = q.due === 'soon' || q.due === 'overdue' ? q.due : undefined;
  const repeat = q.repeat === 'yes' ? true : q.repeat === 'no' ? false : undefined;
  const text = one(q.q);
  const network = one(q.network);
  const topic = one(q.topic);
  const department = one(q.department);
  return {
    ...(network ? { network } : {}), ...(topic ? { topic } : {}), ...(department ? { department } : {}),
    ...(importance ? { importance } : {}), ...(due ? { due } : {}), ...(repeat !== undefined ? { repeat } : {}), ...(text ? { text } : {}),
  };
}

function stateSet(queue: Queue): StateSet {
  return { states: queue.states, ...(queue.manualCheck !== undefined ? { manualCheck: queue.manualCheck } : {}) };
}

export function registerInboxRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get<{ Querystring: InboxQuerystring }>('/inbox', async (request, reply) => {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return reply;
    if (!viewer.visibility) {
      return sendPage(reply, messagePage('Нет доступа к обращениям', 'Ваша роль не даёт доступа к обращениям граждан: администраторы работают в командной строке (otklik). Если вы куратор или исполнитель, попросите администратора указать роль.'), 403);
    }
    const now = deps.now();
    const queue = queueOf(request.query.queue) ?? defaultQueue(viewer.account);
    const filters = readFilters(request.query);
    const pageNo = Math.max(0, Math.min(10_000, (Number.parseInt(request.query.page ?? '1', 10) || 1) - 1));
    const result = await deps.store.inbox({
      tenant: viewer.account.tenant, list: stateSet(queue),
      count: Object.fromEntries(QUEUES.filter((q) => q.counted).map((q) => [q.id, stateSet(q)])),
      visibility: viewer.visibility, filters, now, dueSoonMs: DUE_SOON_MS, page: pageNo, pageSize: PAGE_SIZE,
    });
    const view = {
      viewer: viewer.layout, tenant: viewer.tenant, clock: viewer.clock, queue, filters, result, pageNo, pageSize: PAGE_SIZE, now,
      query: request.url.split('?')[1] ?? '', limited: viewer.visibility.kind === 'limited',
      viewersOf: (n: number) => deps.live.viewersOf(viewer.account.tenant, n, viewer.account.code),
    };
    return sendPage(reply, isHtmx(request) ? inboxFragment(view) : inboxPage(view));
  });
}
