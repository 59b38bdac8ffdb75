import { DateTime } from 'luxon';
import { isIncidentState, STATE_INFO } from '../workflow/incident-states.js';
import type { TenantDirectory } from '../store/port.js';
import type { AnswerRow, CountRow, DeadlineRow, ProblemRow, RejectionRow, ReportCounts, RepeatRow } from '../store/report-types.js';
import type { ChartSpec } from './charts.js';

/**
 * The monthly report for the head of administration (003 [13]: «Анализ публикаций в
 * социальных сетях докладывается … главе Администрации ежемесячно»), shaped from the
 * store's figures into a document: pure, so that the same document renders to HTML and
 * PDF and the tests compare its numbers with the store's data.
 */

export interface Table {
  readonly columns: readonly string[];
  /** Column indexes holding numbers: right-aligned. */
  readonly numeric: readonly number[];
  readonly rows: ReadonlyArray<readonly (string | number)[]>;
  readonly total?: readonly (string | number)[];
}

export interface Section {
  readonly heading: string;
  readonly text?: string;
  readonly table?: Table;
  readonly chart?: ChartSpec;
  readonly note?: string;
}

export interface MonthlyReport {
  readonly tenant: string;
  /** The administration's name, from the tenant's title. */
  readonly title: string;
  readonly month: string;
  /** «октябрь 2026 года» */
  readonly periodLabel: string;
  /** «с 1 по 31 октября 2026 года (время — Europe/Moscow)» */
  readonly periodRange: string;
  readonly generatedAt: string;
  readonly summary: ReadonlyArray<{ readonly label: string; readonly value: string }>;
  readonly sections: readonly Section[];
  /** The same figures as numbers, for tests and for anyone who reads the report by program. */
  readonly figures: MonthlyFigures;
}

export interface DeadlineTally {
  readonly key: string;
  readonly label: string;
  readonly met: number;
  readonly missed: number;
  /** Not yet due at the time of the report: neither met nor missed. */
  readonly pending: number;
}

export interface MonthlyFigures {
  readonly total: number;
  readonly rejected: number;
  readonly accepted: number;
  readonly answered: number;
  readonly highImportance: number;
  readonly repeats: number;
  readonly byNetwork: Record<string, number>;
  readonly byTopic: Record<string, number>;
  readonly byLocation: Record<string, number>;
  readonly byDepartment: Record<string, number>;
  readonly byDay: Record<string, number>;
  readonly deadlinesByDepartment: readonly DeadlineTally[];
  readonly deadlinesByExecutor: readonly DeadlineTally[];
  readonly deadlinesByStep: readonly DeadlineTally[];
  readonly answerTime: { readonly buckets: ReadonlyArray<{ readonly label: string; readonly count: number }>; readonly medianHours: number | null; readonly within24h: number };
  readonly rejectedByReason: Record<string, number>;
  readonly topProblems: readonly ProblemRow[];
  readonly topRepeated: ReadonlyArray<RepeatRow & { readonly subject: string }>;
}

export interface MonthlyInputs {
  readonly tenant: string;
  readonly month: string;
  readonly directory: TenantDirectory;
  readonly counts: ReportCounts;
  readonly deadlines: readonly DeadlineRow[];
  readonly answers: readonly AnswerRow[];
  readonly rejections: readonly RejectionRow[];
  readonly problems: readonly ProblemRow[];
  readonly repeats: readonly RepeatRow[];
  readonly repeatSubjects: ReadonlyMap<number, { topic: string | null; location: string | null }>;
  /** Deadlines due after this instant are still running: neither met nor missed. */
  readonly asOf: Date;
}

import { NETWORK_LABELS } from '../connectors/types.js';

export { NETWORK_LABELS };

export const STEP_LABELS: Readonly<Record<string, string>> = {
  triage: 'Распределение куратором',
  answer: 'Ответ заявителю',
  draft: 'Проект ответа исполнителя',
  review: 'Согласование куратором',
  rework: 'Доработка проекта',
  publish: 'Публикация после согласования',
  'final-after-interim': 'Окончательный ответ после промежуточного',
  return: 'Возврат не по компетенции',
  'clarification-notice': 'Уведомление о запросе уточнения',
  explanation: 'Разъяснение',
};

/** Steps the curator holds: a term with no named person counts against the curator. */
const CURATOR_STEPS = new Set(['triage', 'review']);
/** The publisher's step: the system's, not a person's or a department's. */
const SYSTEM_STEPS = new Set(['publish']);

export const CURATOR_KEY = '__curator';
export const SYSTEM_KEY = '__system';
export const UNROUTED_KEY = '__unrouted';
const UNSET = 'не указано';

export type DeadlineOutcome = 'met' | 'missed' | 'pending';

/**
 * A term is met when its step was done by the due time; missed when done late or still
 * not done after it (000 [17]: the executor answers for the terms; 003 [12]: shortcomings
 * go to the deputies for disciplinary decisions); pending when it has not run out yet.
 */
export function deadlineOutcome(row: Pick<DeadlineRow, 'dueAt' | 'metAt'>, asOf: Date): DeadlineOutcome {
  if (row.metAt) return row.metAt.getTime() <= row.dueAt.getTime() ? 'met' : 'missed';
  return row.dueAt.getTime() <= asOf.getTime() ? 'missed' : 'pending';
}

/** Who answers for a term in the report: the named person, else the curator, the publisher or the department. */
export function deadlineHolder(row: DeadlineRow, directory: TenantDirectory): { department: string; executor: string | null } {
  const person = row.responsible ? directory.staff.get(row.responsible) : undefined;
  if (row.responsible && person) {
    if (person.department) return { department: person.department, executor: row.responsible };
    if (person.roles.includes('curator')) return { department: CURATOR_KEY, executor: row.responsible };
    return { department: row.department ?? UNROUTED_KEY, executor: row.responsible };
  }
  if (CURATOR_STEPS.has(row.step)) return { department: CURATOR_KEY, executor: row.responsible };
  if (SYSTEM_STEPS.has(row.step)) return { department: SYSTEM_KEY, executor: null };
  return { department: row.department ?? UNROUTED_KEY, executor: row.responsible };
}

function departmentLabel(key: string, directory: TenantDirectory): string {
  if (key === CURATOR_KEY) return 'Куратор (распределение и согласование)';
  if (key === SYSTEM_KEY) return 'Публикация (автоматически)';
  if (key === UNROUTED_KEY) return 'Не распределено';
  return directory.departments.get(key) ?? key;
}

function executorLabel(code: string, directory: TenantDirectory): string {
  const person = directory.staff.get(code);
  if (!person) return code;
  const dept = person.department ? directory.departments.get(person.department) ?? person.department : person.roles.includes('curator') ? 'куратор' : '';
  return dept ? `${person.fullName} (${dept})` : person.fullName;
}

export function tallyDeadlines(rows: readonly DeadlineRow[], asOf: Date, keyOf: (row: DeadlineRow) => string | null, labelOf: (key: string) => string): DeadlineTally[] {
  const tallies = new Map<string, { met: number; missed: number; pending: number }>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const t = tallies.get(key) ?? { met: 0, missed: 0, pending: 0 };
    t[deadlineOutcome(row, asOf)]++;
    tallies.set(key, t);
  }
  return [...tallies.entries()]
    .map(([key, t]) => ({ key, label: labelOf(key), ...t }))
    .sort((a, b) => b.missed - a.missed || b.met + b.missed - (a.met + a.missed) || a.label.localeCompare(b.label, 'ru'));
}

export const ANSWER_BUCKETS: ReadonlyArray<{ readonly label: string; readonly upToHours: number }> = [
  { label: 'до 1 ч', upToHours: 1 },
  { label: '1–4 ч', upToHours: 4 },
  { label: '4–8 ч', upToHours: 8 },
  { label: '8–24 ч', upToHours: 24 },
  { label: '1–3 сут.', upToHours: 72 },
  { label: 'более 3 сут.', upToHours: Number.POSITIVE_INFINITY },
];

/** Answer time from detection to the publication that reached the author, in clock hours. */
export function answerTimeFigures(answers: readonly AnswerRow[]): MonthlyFigures['answerTime'] {
  const hours = answers.map((a) => (a.answeredAt.getTime() - a.detectedAt.getTime()) / 3_600_000).sort((a, b) => a - b);
  const buckets = ANSWER_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  for (const h of hours) {
    const index = ANSWER_BUCKETS.findIndex((b) => h <= b.upToHours);
    buckets[index]!.count++;
  }
  let medianHours: number | null = null;
  if (hours.length > 0) {
    const mid = Math.floor(hours.length / 2);
    medianHours = hours.length % 2 === 1 ? hours[mid]! : (hours[mid - 1]! + hours[mid]!) / 2;
  }
  return { buckets, medianHours, within24h: hours.filter((h) => h <= 24).length };
}

export function rejectionLabel(row: RejectionRow): string {
  return row.curatorReason ?? row.classifierReason ?? 'Причина не указана';
}

function asRecord(rows: readonly CountRow[], label: (key: string | null) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = label(r.key);
    out[k] = (out[k] ?? 0) + r.count;
  }
  return out;
}

const ru = new Intl.NumberFormat('ru-RU');
const ru1 = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${ru1.format((100 * part) / whole)} %`;
}

function formatHours(hours: number | null): string {
  if (hours === null) return '—';
  if (hours < 1) return `${Math.round(hours * 60)} мин`;
  return `${ru1.format(hours)} ч`;
}

const MONTHS_GENITIVE = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const MONTHS_NOMINATIVE = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** The month as the period of a report: its first instant and the next month's, in the tenant's zone. */
export function monthPeriod(month: string, timeZone: string): { from: Date; to: Date; timeZone: string } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`Месяц указывается как ГГГГ-ММ, например 2026-10 (получено «${month}»)`);
  const start = DateTime.fromISO(`${month}-01T00:00:00`, { zone: timeZone });
  if (!start.isValid) throw new RangeError(`Часовой пояс «${timeZone}» не распознан`);
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate(), timeZone };
}

/** The month before the one `now` falls in, in the tenant's zone: what the 1st-of-month run reports. */
export function previousMonth(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('month').minus({ months: 1 }).toFormat('yyyy-MM');
}

function topicLabel(key: string | null): string {
  return key ?? UNSET;
}

function subjectOf(topic: string | null, location: string | null): string {
  return [topic ?? 'тема не указана', location ?? 'место не указано'].join(' — ');
}

const TOP_ROWS = 12;

/** Long tails fold into «прочие» so that a chart stays readable. */
function topWithOthers(record: Record<string, number>, limit: number): Array<{ label: string; value: number }> {
  const sorted = Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'ru'));
  const head = sorted.slice(0, limit).map(([label, value]) => ({ label, value }));
  const rest = sorted.slice(limit).reduce((s, [, v]) => s + v, 0);
  return rest > 0 ? [...head, { label: 'прочие', value: rest }] : head;
}

function countTable(record: Record<string, number>, firstColumn: string, whole: number, limit = Number.POSITIVE_INFINITY): Table {
  const items = topWithOthers(record, limit);
  const sum = items.reduce((s, i) => s + i.value, 0);
  return {
    columns: [firstColumn, 'Сообщений', 'Доля'],
    numeric: [1, 2],
    rows: items.map((i) => [i.label, ru.format(i.value), percent(i.value, whole)]),
    total: ['Итого', ru.format(sum), percent(sum, whole)],
  };
}

function deadlineTable(tallies: readonly DeadlineTally[], firstColumn: string): Table {
  const sum = tallies.reduce((s, t) => ({ met: s.met + t.met, missed: s.missed + t.missed, pending: s.pending + t.pending }), { met: 0, missed: 0, pending: 0 });
  const row = (label: string, t: { met: number; missed: number; pending: number }) =>
    [label, ru.format(t.met), ru.format(t.missed), percent(t.met, t.met + t.missed), ru.format(t.pending)];
  return {
    columns: [firstColumn, 'Соблюдено', 'Нарушено', 'Доля соблюдённых', 'Срок не истёк'],
    numeric: [1, 2, 3, 4],
    rows: tallies.map((t) => row(t.label, t)),
    total: row('Итого', sum),
  };
}

export function buildMonthlyReport(inputs: MonthlyInputs, generatedAt: Date): MonthlyReport {
  const { directory, counts, asOf } = inputs;
  const stateCount = (predicate: (state: string) => boolean) => counts.byState.filter((r) => r.key !== null && predicate(r.key)).reduce((s, r) => s + r.count, 0);
  const rejected = stateCount((s) => s === 'rejected');
  const answered = stateCount((s) => s === 'published' || s === 'published-private');
  const closedOtherwise = stateCount((s) => isIncidentState(s) && STATE_INFO[s].final && s !== 'published' && s !== 'published-private');
  const accepted = counts.total - rejected;
  const highImportance = counts.byImportance.find((r) => r.key === 'high')?.count ?? 0;

  const byNetwork = asRecord(counts.byNetwork, (k) => (k ? NETWORK_LABELS[k] ?? k : UNSET));
  const byTopic = asRecord(counts.byTopic, topicLabel);
  const byLocation = asRecord(counts.byLocation, topicLabel);
  const byDepartment = asRecord(counts.byDepartment, (k) => (k ? directory.departments.get(k) ?? k : UNSET));
  const byDay = asRecord(counts.byDay, (k) => k ?? UNSET);

  const holders = new Map(inputs.deadlines.map((row) => [row, deadlineHolder(row, directory)]));
  const deadlinesByDepartment = tallyDeadlines(inputs.deadlines, asOf, (r) => holders.get(r)!.department, (k) => departmentLabel(k, directory));
  const deadlinesByExecutor = tallyDeadlines(inputs.deadlines, asOf, (r) => holders.get(r)!.executor, (k) => executorLabel(k, directory));
  const deadlinesByStep = tallyDeadlines(inputs.deadlines, asOf, (r) => r.step, (k) => STEP_LABELS[k] ?? k);
  const answerTime = answerTimeFigures(inputs.answers);
  const rejectedByReason: Record<string, number> = {};
  for (const r of inputs.rejections) rejectedByReason[rejectionLabel(r)] = (rejectedByReason[rejectionLabel(r)] ?? 0) + r.count;
  const topRepeated = inputs.repeats.map((r) => {
    const subject = inputs.repeatSubjects.get(r.repeatOf);
    return { ...r, subject: subject ? subjectOf(subject.topic, subject.location) : '—' };
  });

  const figures: MonthlyFigures = {
    total: counts.total, rejected, accepted, answered, highImportance, repeats: counts.repeats,
    byNetwork, byTopic, byLocation, byDepartment, byDay,
    deadlinesByDepartment, deadlinesByExecutor, deadlinesByStep, answerTime, rejectedByReason,
    topProblems: inputs.problems, topRepeated,
  };

  const start = DateTime.fromISO(`${inputs.month}-01`, { zone: directory.timeZone });
  const monthIndex = start.month - 1;
  const periodLabel = `${MONTHS_NOMINATIVE[monthIndex]} ${start.year} года`;
  const periodRange = `с 1 по ${start.daysInMonth} ${MONTHS_GENITIVE[monthIndex]} ${start.year} года`;
  const totalMet = deadlinesByDepartment.reduce((s, t) => s + t.met, 0);
  const totalMissed = deadlinesByDepartment.reduce((s, t) => s + t.missed, 0);

  const summary = [
    { label: 'Поступило сообщений', value: ru.format(counts.total) },
    { label: 'Принято в работу', value: `${ru.format(accepted)} (${percent(accepted, counts.total)})` },
    { label: 'Отклонено по основаниям регламента', value: `${ru.format(rejected)} (${percent(rejected, counts.total)})` },
    { label: 'Дан ответ заявителю', value: `${ru.format(answered)} (${percent(answered, accepted)} принятых)` },
    { label: 'Закрыто иначе (разъяснение, нет технической возможности, 59-ФЗ)', value: ru.format(closedOtherwise) },
    { label: 'Высокой значимости', value: ru.format(highImportance) },
    { label: 'Повторных обращений', value: ru.format(counts.repeats) },
    { label: 'Сроков соблюдено / нарушено', value: `${ru.format(totalMet)} / ${ru.format(totalMissed)} (соблюдено ${percent(totalMet, totalMet + totalMissed)})` },
    { label: 'Медианное время ответа', value: formatHours(answerTime.medianHours) },
  ];

  const dayItems = Array.from({ length: start.daysInMonth ?? 30 }, (_, i) => {
    const date = start.plus({ days: i }).toFormat('yyyy-MM-dd');
    return { label: String(i + 1), value: byDay[date] ?? 0 };
  });

  // The document names no clause numbers: they differ between the regulations a tenant may
  // follow (000 [17] and 003 [12] say the same under different numbers); the code cites them.
  const sections: Section[] = [
    {
      heading: '1. Поступление сообщений',
      text: `За период поступило ${ru.format(counts.total)} сообщений, в среднем ${ru1.format(counts.total / dayItems.length)} в день.`,
      chart: { kind: 'columns', title: 'Сообщения по дням месяца', items: dayItems },
      table: countTable(byNetwork, 'Социальная сеть', counts.total),
    },
    {
      heading: '2. Тематика обращений',
      text: 'Сообщения, принятые в работу, по темам (тему подтверждает куратор).',
      chart: { kind: 'bars', title: 'Сообщения по темам', items: topWithOthers(byTopic, 10) },
      table: countTable(byTopic, 'Тема', accepted),
    },
    {
      heading: '3. Территории',
      chart: { kind: 'bars', title: 'Сообщения по населённым пунктам и улицам', items: topWithOthers(byLocation, 10) },
      table: countTable(byLocation, 'Место', accepted, TOP_ROWS),
    },
    {
      heading: '4. Нагрузка на структурные подразделения',
      text: 'Сообщение, направленное в несколько подразделений, учитывается в каждом из них.',
      table: countTable(byDepartment, 'Подразделение', accepted),
    },
    {
      heading: '5. Соблюдение сроков по подразделениям',
      text: 'Учтены сроки, истекшие в отчётном месяце. Срок нарушен, если действие выполнено позже срока или не выполнено к нему; ответственность за сроки подготовки проекта ответа несёт исполнитель; сведения о нарушениях направляются для принятия мер.',
      chart: { kind: 'stacked', title: 'Сроки: соблюдено и нарушено', legend: ['Соблюдено', 'Нарушено'], items: deadlinesByDepartment.map((t) => ({ label: t.label, parts: [t.met, t.missed] })) },
      table: deadlineTable(deadlinesByDepartment, 'Подразделение'),
    },
    {
      heading: '6. Соблюдение сроков исполнителями',
      table: deadlineTable(deadlinesByExecutor, 'Исполнитель'),
      note: deadlinesByExecutor.length === 0 ? 'Сроков, закреплённых за конкретными сотрудниками, в периоде не истекало.' : undefined,
    },
    {
      heading: '7. Сроки по этапам работы',
      table: deadlineTable(deadlinesByStep, 'Этап'),
    },
    {
      heading: '8. Время ответа',
      text: `От обнаружения сообщения до публикации ответа (календарное время). Медиана — ${formatHours(answerTime.medianHours)}; в течение суток дан ответ на ${ru.format(answerTime.within24h)} из ${ru.format(inputs.answers.length)} (${percent(answerTime.within24h, inputs.answers.length)}).`,
      chart: { kind: 'columns', title: 'Распределение времени ответа', items: answerTime.buckets.map((b) => ({ label: b.label, value: b.count })) },
      table: {
        columns: ['Время ответа', 'Ответов', 'Доля'], numeric: [1, 2],
        rows: answerTime.buckets.map((b) => [b.label, ru.format(b.count), percent(b.count, inputs.answers.length)]),
        total: ['Итого', ru.format(inputs.answers.length), percent(inputs.answers.length, inputs.answers.length)],
      },
    },
    {
      heading: '9. Отклонённые сообщения',
      text: 'Сообщения, не подлежащие рассмотрению по основаниям регламента (нецензурная брань, оскорбления, угрозы, призывы, реклама, вопросы вне компетенции).',
      table: countTable(rejectedByReason, 'Основание', rejected),
      note: rejected === 0 ? 'Отклонённых сообщений в периоде не было.' : undefined,
    },
    {
      heading: '10. Повторные обращения',
      text: `Повторных сообщений по уже рассматривавшимся вопросам: ${ru.format(counts.repeats)}. Чаще всего повторно писали по обращениям:`,
      table: {
        columns: ['Обращение №', 'Вопрос', 'Повторных'], numeric: [0, 2],
        rows: topRepeated.map((r) => [r.repeatOf, r.subject, ru.format(r.count)]),
      },
    },
    {
      heading: '11. Основные проблемы месяца',
      text: 'Темы и места, о которых писали чаще всего.',
      table: {
        columns: ['Проблема', 'Сообщений', 'Высокой значимости', 'Обращения №'], numeric: [1, 2],
        rows: inputs.problems.map((p) => [subjectOf(p.topic, p.location), ru.format(p.count), ru.format(p.high), abbreviateNumbers(p.numbers)]),
      },
    },
  ];

  return {
    tenant: inputs.tenant,
    title: directory.title,
    month: inputs.month,
    periodLabel,
    periodRange,
    generatedAt: DateTime.fromJSDate(generatedAt, { zone: directory.timeZone }).setLocale('ru').toFormat('d MMMM yyyy г., HH:mm'),
    summary,
    sections: sections.map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as Section),
    figures,
  };
}

/** «3, 7, 12 и ещё 4»: enough numbers for staff to find the incidents, not a wall of them. */
export function abbreviateNumbers(numbers: readonly number[], shown = 6): string {
  const head = numbers.slice(0, shown).join(', ');
  return numbers.length > shown ? `${head} и ещё ${numbers.length - shown}` : head;
}
