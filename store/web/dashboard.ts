import { findSurges } from '../../reports/alerts.js';
import type { DashboardData } from '../../web/ports.js';
import type { Store } from '../port.js';

/** The head's dashboard figures, from the monthly report's queries, the due list and the surge check. */
export async function dashboardData(store: Store, tenant: string, period: { dayFrom: Date; monthFrom: Date; to: Date; timeZone: string }): Promise<DashboardData> {
  const { to, timeZone } = period;
  const [today, month, due, answers, surges] = await Promise.all([
    store.reports.counts(tenant, { from: period.dayFrom, to, timeZone }),
    store.reports.counts(tenant, { from: period.monthFrom, to, timeZone }),
    store.deadlines.due(to, 0, tenant),
    store.reports.answers(tenant, { from: period.monthFrom, to, timeZone }),
    findSurges(store, tenant, timeZone, to),
  ]);
  return {
    today: { total: today.total, byTopic: today.byTopic, byNetwork: today.byNetwork },
    month: { total: month.total, byTopic: month.byTopic, byNetwork: month.byNetwork },
    // A wait for the author's reply is not a term of staff (001 [17]).
    overdue: due.filter((d) => d.overdue && !d.awaitsAuthor).map((d) => ({ number: d.number, step: d.step, dueAt: d.dueAt, responsible: d.responsible, department: d.department })),
    answers,
    surges: surges.map((s) => ({ key: s.key, value: s.value, observed: s.assessment.observed, expected: s.assessment.expected, numbers: s.numbers })),
  };
}
