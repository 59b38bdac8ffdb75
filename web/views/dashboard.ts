import { renderChart } from '../../reports/charts.js';
import { STEP_LABELS } from '../../workflow/labels.js';
import type { WorkingClock } from '../../workflow/terms.js';
import { hoursMinutes, workingMsBetween } from '../time-left.js';
import { localTime, NETWORK_LABELS } from '../format.js';
import { html, raw, type Html } from '../html.js';
import type { CountRow, DashboardData, TenantContext } from '../ports.js';
import { page, type LayoutViewer } from './layout.js';

export interface DashboardView {
  readonly viewer: LayoutViewer;
  readonly tenant: TenantContext;
  readonly clock: WorkingClock;
  readonly now: Date;
  readonly data: DashboardData;
}

/** Answer times in working hours (office hours of the tenant), as the regulations count terms. */
const BUCKETS: ReadonlyArray<{ label: string; upToHours: number }> = [
  { label: 'до 4 ч', upToHours: 4 },
  { label: '4–8 ч', upToHours: 8 },
  { label: '1–3 раб. дня', upToHours: 24 },
  { label: '3–7 раб. дней', upToHours: 56 },
  { label: 'дольше', upToHours: Infinity },
];

export interface AnswerTimes {
  readonly count: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
  readonly buckets: ReadonlyArray<{ label: string; value: number }>;
}

export function answerTimes(clock: WorkingClock, answers: DashboardData['answers']): AnswerTimes {
  const times = answers.map((a) => workingMsBetween(clock, a.detectedAt.getTime(), a.answeredAt.getTime())).sort((a, b) => a - b);
  const at = (q: number) => (times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))]! : null);
  const buckets = BUCKETS.map((b, k) => ({
    label: b.label,
    value: times.filter((t) => t <= b.upToHours * 3_600_000 && (k === 0 || t > BUCKETS[k - 1]!.upToHours * 3_600_000)).length,
  }));
  return { count: times.length, medianMs: at(0.5), p90Ms: at(0.9), buckets };
}

function bars(title: string, rows: readonly CountRow[], label: (key: string | null) => string, limit = 10): Html {
  return raw(renderChart({ kind: 'bars', title, items: rows.slice(0, limit).map((r) => ({ label: label(r.key), value: r.count })) }));
}

function countBy<T>(items: readonly T[], key: (item: T) => string): CountRow[] {
  const map = new Map<string, number>();
  for (const item of items) map.set(key(item), (map.get(key(item)) ?? 0) + 1);
  return [...map.entries()].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || (a.key ?? '').localeCompare(b.key ?? '', 'ru'));
}

export function dashboardPage(v: DashboardView): Html {
  const { data, tenant } = v;
  const topic = (k: string | null) => k ?? 'без темы';
  const network = (k: string | null) => (k ? NETWORK_LABELS[k] ?? k : '—');
  const dept = (code: string | null) => (code ? tenant.departments.find((d) => d.code === code)?.name ?? code : 'не распределено');
  const person = (code: string | null) => (code ? tenant.staff.find((s) => s.code === code)?.fullName ?? code : 'куратор');
  const overdueByDept = countBy(data.overdue, (o) => dept(o.department));
  const overdueByPerson = countBy(data.overdue, (o) => person(o.responsible));
  const times = answerTimes(v.clock, data.answers);
  return page(
    { title: 'Сводка', viewer: v.viewer, section: 'dashboard' },
    html`<h1>Сводка на ${localTime(v.now, tenant.timeZone)}</h1>
<div class="tiles">
<div class="tile"><span class="big">${data.today.total}</span> сообщений сегодня</div>
<div class="tile"><span class="big">${data.month.total}</span> за месяц</div>
<div class="tile ${data.overdue.length ? 'bad' : ''}"><span class="big">${data.overdue.length}</span> просроченных сроков сейчас</div>
<div class="tile"><span class="big">${times.medianMs === null ? '—' : hoursMinutes(times.medianMs)}</span> медиана времени ответа (рабочее время)</div>
<div class="tile ${data.surges.length ? 'bad' : ''}"><span class="big">${data.surges.length}</span> всплесков</div>
</div>
<section class="charts">
<div>${bars('Сегодня по темам', data.today.byTopic, topic)}</div>
<div>${bars('Сегодня по сетям', data.today.byNetwork, network)}</div>
<div>${bars('Месяц по темам', data.month.byTopic, topic)}</div>
<div>${bars('Месяц по сетям', data.month.byNetwork, network)}</div>
<div>${bars('Просрочено по подразделениям', overdueByDept, (k) => k ?? '—')}</div>
<div>${bars('Просрочено по исполнителям', overdueByPerson, (k) => k ?? '—')}</div>
<div>${raw(renderChart({ kind: 'columns', title: `Время ответа в рабочих часах (ответов за месяц: ${times.count})`, items: times.buckets }))}</div>
</section>
<p class="hint">Время ответа — от выявления сообщения до публикации ответа, в рабочем времени администрации${times.p90Ms !== null ? `; 90 % ответов — не дольше ${hoursMinutes(times.p90Ms)}` : ''}.</p>
<section><h2>Всплески</h2>${data.surges.length === 0
      ? html`<p>Всплесков по темам и местам за последние часы нет.</p>`
      : html`<ul>${data.surges.map((s) => html`<li><strong>${s.key === 'topic' ? 'Тема' : 'Место'}: ${s.value}</strong> — ${s.observed} сообщений при обычных ${s.expected.toFixed(1)}: ${s.numbers.map((n, k) => html`${k > 0 ? ', ' : ''}<a href="/incidents/${n}">№ ${n}</a>`)}</li>`)}</ul>`}</section>
<section><h2>Просроченные сроки</h2>${data.overdue.length === 0
      ? html`<p>Просроченных сроков нет.</p>`
      : html`<table><thead><tr><th>№</th><th>Этап</th><th>Срок</th><th>Подразделение</th><th>Ответственный</th></tr></thead><tbody>
${data.overdue.map((o) => html`<tr><td><a href="/incidents/${o.number}">№ ${o.number}</a></td><td>${STEP_LABELS[o.step]}</td><td>${localTime(o.dueAt, tenant.timeZone)}</td><td>${dept(o.department)}</td><td>${person(o.responsible)}</td></tr>`)}
</tbody></table>`}</section>`,
  );
}
