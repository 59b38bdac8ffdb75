import { STATE_LABELS, STEP_LABELS } from '../../workflow/labels.js';
import type { WorkingClock } from '../../workflow/terms.js';
import { attr, html, type Html } from '../html.js';
import { IMPORTANCE_LABELS, localTime, NETWORK_LABELS, plural } from '../format.js';
import type { InboxFilters, InboxPage, InboxRow, TenantContext } from '../ports.js';
import { QUEUES, type Queue } from '../queues.js';
import { timeLeft } from '../time-left.js';
import { page, type LayoutViewer } from './layout.js';

export interface InboxView {
  readonly viewer: LayoutViewer;
  readonly tenant: TenantContext;
  readonly clock: WorkingClock;
  readonly queue: Queue;
  readonly filters: InboxFilters;
  readonly result: InboxPage;
  readonly pageNo: number;
  readonly pageSize: number;
  readonly now: Date;
  /** The query string of this view, for links and the live refresh. */
  readonly query: string;
  readonly viewersOf: (number: number) => readonly string[];
  /** Executors see their department's incidents only. */
  readonly limited: boolean;
}

function option(value: string, label: string, current: string | undefined): Html {
  return html`<option value="${value}"${attr('selected', value === (current ?? ''))}>${label}</option>`;
}

function withQuery(base: Record<string, string | undefined>, change: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...base, ...change })) if (v !== undefined && v !== '') params.set(k, v);
  const s = params.toString();
  return s ? `/inbox?${s}` : '/inbox';
}

export function filterParams(queue: Queue, f: InboxFilters): Record<string, string | undefined> {
  return {
    queue: queue.id, network: f.network, topic: f.topic, department: f.department, importance: f.importance, due: f.due,
    repeat: f.repeat === undefined ? undefined : f.repeat ? 'yes' : 'no', q: f.text,
  };
}

function dueCell(row: InboxRow, v: InboxView): Html {
  if (!row.nextDueAt) return html`<span class="muted">нет текущего срока</span>`;
  const left = timeLeft(v.clock, v.now.getTime(), row.nextDueAt.getTime());
  const soon = !left.overdue && row.nextDueAt.getTime() - v.now.getTime() < 4 * 3600_000;
  return html`<span class="due ${left.overdue ? 'overdue' : soon ? 'soon' : ''}"><time datetime="${row.nextDueAt.toISOString()}">${localTime(row.nextDueAt, v.tenant.timeZone)}</time>
<small>${row.nextStep ? STEP_LABELS[row.nextStep] : ''}</small><small>${left.text}</small></span>`;
}

function rowView(row: InboxRow, v: InboxView): Html {
  const dept = row.department ? v.tenant.departments.find((d) => d.code === row.department)?.name ?? row.department : null;
  const person = row.assignee ? v.tenant.staff.find((s) => s.code === row.assignee)?.fullName ?? row.assignee : null;
  const others = v.viewersOf(row.number);
  return html`<tr data-number="${row.number}">
<td class="num"><a href="/incidents/${row.number}">№ ${row.number}</a></td>
<td>${dueCell(row, v)}</td>
<td><span class="state state-${row.state}">${STATE_LABELS[row.state]}</span>${row.manualCheck ? html`<small class="warn">результат публикации не подтверждён</small>` : ''}</td>
<td>${row.topic ?? html`<span class="muted">тема не указана</span>`}${row.location ? html`<small>${row.location}</small>` : ''}
  ${row.importance === 'high' ? html`<span class="badge high">${IMPORTANCE_LABELS.high}</span>` : ''}${row.repeatOf !== null ? html`<span class="badge">повтор № ${row.repeatOf}</span>` : ''}</td>
<td>${dept ?? html`<span class="muted">—</span>`}${person ? html`<small>${person}</small>` : ''}</td>
<td>${NETWORK_LABELS[row.network] ?? row.network}</td>
<td class="excerpt">${row.excerpt}${others.length ? html`<small class="presence">открыта: ${others.join(', ')}</small>` : ''}</td>
</tr>`;
}

/** The list alone: what the filters and live updates swap in. */
export function inboxList(v: InboxView): Html {
  const base = filterParams(v.queue, v.filters);
  const pages = Math.max(1, Math.ceil(v.result.total / v.pageSize));
  const self = withQuery(base, { page: v.pageNo > 0 ? String(v.pageNo + 1) : undefined });
  return html`<section id="inbox-list" hx-get="${self}" hx-trigger="refresh" hx-swap="outerHTML" aria-live="polite">
<p class="count">${v.result.total} ${plural(v.result.total, 'обращение', 'обращения', 'обращений')}${pages > 1 ? html` · страница ${v.pageNo + 1} из ${pages}` : ''}</p>
${v.result.rows.length === 0
    ? html`<p class="empty">Здесь пусто.</p>`
    : html`<table class="inbox">
<thead><tr><th>№</th><th>Срок</th><th>Состояние</th><th>Тема, место</th><th>Подразделение, исполнитель</th><th>Сеть</th><th>Сообщение</th></tr></thead>
<tbody>${v.result.rows.map((r) => rowView(r, v))}</tbody>
</table>`}
${pages > 1
    ? html`<nav class="pages">${v.pageNo > 0 ? html`<a href="${withQuery(base, { page: v.pageNo > 1 ? String(v.pageNo) : undefined })}">← раньше</a>` : ''}
${v.pageNo + 1 < pages ? html`<a href="${withQuery(base, { page: String(v.pageNo + 2) })}">дальше →</a>` : ''}</nav>`
    : ''}
</section>`;
}

/** The queue tabs with their counts; sent again beside each refreshed list (htmx out-of-band), so the counts stay current. */
function queueTabs(v: InboxView, outOfBand: boolean): Html {
  const base = filterParams(v.queue, v.filters);
  const tabs = QUEUES.map((q) => {
    const n = v.result.counts[q.id];
    return html`<a href="${withQuery({ ...base, queue: q.id }, {})}"${q.id === v.queue.id ? html` aria-current="page"` : ''}>${q.label}${n !== undefined ? html` <span class="n">${n}</span>` : ''}</a>`;
  });
  return html`<nav class="queues" id="queues"${outOfBand ? html` hx-swap-oob="true"` : ''}>${tabs}</nav>`;
}

/** What a filter change or a live refresh swaps in: the list, and the tabs out of band. */
export function inboxFragment(v: InboxView): Html {
  return html`${inboxList(v)}${queueTabs(v, true)}`;
}

export function inboxPage(v: InboxView): Html {
  const f = v.filters;
  const base = filterParams(v.queue, f);
  return page(
    { title: v.queue.label, viewer: v.viewer, section: 'inbox', live: true },
    html`<h1 class="visually-hidden">Обращения</h1>
${v.limited ? html`<p class="hint">Показаны обращения вашего подразделения.</p>` : ''}
${queueTabs(v, false)}
<form class="filters" method="get" action="/inbox" hx-get="/inbox" hx-target="#inbox-list" hx-swap="outerHTML" hx-trigger="change, submit" hx-push-url="true">
  <input type="hidden" name="queue" value="${v.queue.id}">
  <label>Сеть <select name="network">${option('', 'все', f.network)}${Object.entries(NETWORK_LABELS).map(([k, l]) => option(k, l, f.network))}</select></label>
  <label>Тема <select name="topic">${option('', 'все', f.topic)}${v.tenant.topics.map((t) => option(t, t, f.topic))}</select></label>
  <label>Подразделение <select name="department">${option('', 'все', f.department)}${v.tenant.departments.map((d) => option(d.code, d.name, f.department))}</select></label>
  <label>Важность <select name="importance">${option('', 'любая', f.importance)}${option('high', 'повышенная', f.importance)}${option('normal', 'обычная', f.importance)}</select></label>
  <label>Срок <select name="due">${option('', 'любой', f.due)}${option('soon', 'истекает в ближайшие 4 ч', f.due)}${option('overdue', 'просрочен', f.due)}</select></label>
  <label>Повтор <select name="repeat">${option('', 'все', base.repeat)}${option('yes', 'только повторные', base.repeat)}${option('no', 'без повторных', base.repeat)}</select></label>
  <label class="grow">Поиск <input type="search" name="q" value="${f.text ?? ''}" placeholder="слова сообщения, место или № обращения"></label>
  <button type="submit">Показать</button>
</form>
${inboxList(v)}`,
  );
}
