import { findSurges } from '../../reports/alerts.js';
import type { DashboardData } from '../../web/ports.js';
import type { Step } from '../../workflow/profiles.js';
import type { Store } from '../connection.js';
import { dueItems } from '../due.js';
import { reportAnswers, reportCounts } from '../report-queries.js';

/** The head's dashboard figures, from the monthly report's queries, the due list and the surge check. */
export async function dashboardData(store: Store, tenant: string, period: { dayFrom: Date; monthFrom: Date; to: Date; timeZone: string }): Promise<DashboardData> {
  const { to, timeZone } = period;
  const [today, month, due, answers, surges] = await Promise.all([
    reportCounts(store, tenant, { from: period.dayFrom, to, timeZone }),
    reportCounts(store, tenant, { from: period.monthFrom, to, timeZone }),
    dueItems(store, to, 0, tenant),
    reportAnswers(store, tenant, { from: period.monthFrom, to, timeZone }),
    findSurges(store, tenant, timeZone, to),
  ]);
  return {
    today: { total: today.total, byTopic: today.byTopic, byNetwork: today.byNetwork },
    month: { total: month.total, byTopic: month.byTopic, byNetwork: month.byNetwork },
    overdue: due.filter((d) => d.overdue).map((d) => ({ number: d.number, step: d.step as Step, dueAt: d.dueAt, responsible: d.responsible, department: d.department })),
    answers,
    surges: surges.map((s) => ({ key: s.key, value: s.value, observed: s.assessment.observed, expected: s.assessment.expected, numbers: s.numbers })),
  };
}
