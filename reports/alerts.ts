import { DateTime } from 'luxon';
import type { Recipient, Store } from '../store/port.js';
import type { SurgeKey } from '../store/report-types.js';
import { NETWORK_LABELS } from './monthly-figures.js';
import { assessSurge, DEFAULT_SURGE_PARAMS, hourShares, surgeAlertText, windowShare, type SurgeAssessment, type SurgeParams } from './surge.js';

/**
 * Immediate alerts (003 [13]: «Незамедлительному докладу главе Администрации подлежит
 * информация о публикациях, носящих социально и общественно значимый характер, а также о
 * повышенной социальной активности»): a high-importance incident and a surge of activity
 * reach the head and the curator as notices the staff bot delivers. Each alert is
 * recorded once (store/report-events.ts) before its notices are written, so a second
 * worker or the next check never repeats it.
 */

export interface SentAlert {
  readonly kind: 'high-importance' | 'surge';
  readonly key: string;
  readonly text: string;
  readonly incidentNumber: number | null;
}

/** How far back a high-importance incident is still news: older ones the head hears of in the report. */
export const HIGH_IMPORTANCE_LOOKBACK_MS = 24 * 3_600_000;

const TO_HEAD_AND_CURATOR = [{ role: 'head' }, { role: 'curator' }] as const;

async function sendOnce(store: Store, tenant: string, alert: SentAlert, detail: unknown, recipients: readonly Recipient[], now: Date): Promise<boolean> {
  if (!(await store.reports.recordOnce(tenant, alert.key, alert.kind, detail, now))) return false;
  try {
    for (const to of recipients) {
      await store.notices.once(`alert:${tenant}:${alert.key}:${'role' in to ? to.role : to.staff}`, {
        tenant, to, kind: alert.kind === 'surge' ? 'surge' : 'high-importance-alert', text: alert.text, incidentNumber: alert.incidentNumber, createdAt: now,
      });
    }
  } catch (error) {
    // Not delivered: the record goes, so that the next check sends it.
    await store.reports.forget(tenant, alert.key);
    throw error;
  }
  return true;
}

export function highImportanceText(i: { number: number; network: string; topic: string | null; location: string | null; stateLabel: string }): string {
  const where = i.location ? `, ${i.location}` : '';
  return `Срочно: обращение № ${i.number} повышенной важности (${NETWORK_LABELS[i.network] ?? i.network}) — ${i.topic ?? 'тема не определена'}${where}. Состояние: ${i.stateLabel}. Срок ответа сокращён (4 рабочих часа).`;
}

/**
 * High importance as soon as it is known — the classifier's suggestion included, before
 * the curator confirms: the head hears of it at once. Where the workflow itself already
 * told the head (the curator confirmed high importance while routing), nothing is added.
 */
export async function alertHighImportance(store: Store, tenant: string, now: Date): Promise<SentAlert[]> {
  const sent: SentAlert[] = [];
  for (const incident of await store.reports.highImportanceSince(tenant, new Date(now.getTime() - HIGH_IMPORTANCE_LOOKBACK_MS))) {
    const alert: SentAlert = { kind: 'high-importance', key: `high:${incident.number}`, text: highImportanceText(incident), incidentNumber: incident.number };
    if (incident.headNotified) {
      // Recorded so that it is not considered again; the head already knows.
      await store.reports.recordOnce(tenant, alert.key, alert.kind, { by: 'workflow' }, now);
      continue;
    }
    if (await sendOnce(store, tenant, alert, { topic: incident.topic, location: incident.location }, TO_HEAD_AND_CURATOR, now)) sent.push(alert);
  }
  return sent;
}

export interface SurgeFinding {
  readonly key: SurgeKey;
  readonly value: string;
  readonly assessment: SurgeAssessment;
  readonly numbers: readonly number[];
}

/** The surges in the window that ends now, every topic and location of the tenant assessed. */
export async function findSurges(store: Store, tenant: string, timeZone: string, now: Date, params: SurgeParams = DEFAULT_SURGE_PARAMS): Promise<SurgeFinding[]> {
  const windowStart = new Date(now.getTime() - params.windowHours * 3_600_000);
  const baselineStart = new Date(windowStart.getTime() - params.baselineDays * 86_400_000);
  const shares = hourShares(await store.reports.countsByHourOfDay(tenant, baselineStart, windowStart, timeZone));
  const local = DateTime.fromJSDate(windowStart, { zone: timeZone });
  const share = windowShare(shares, local.hour + local.minute / 60 + local.second / 3600, params.windowHours);
  const findings: SurgeFinding[] = [];
  for (const key of ['topic', 'location'] as const) {
    const inWindow = (await store.reports.countsByKey(tenant, key, windowStart, now, true)).filter((c) => c.count >= params.minCount);
    if (inWindow.length === 0) continue;
    const baseline = new Map((await store.reports.countsByKey(tenant, key, baselineStart, windowStart, false)).map((c) => [c.value, c.count]));
    for (const c of inWindow) {
      const assessment = assessSurge({ observed: c.count, baselineCount: baseline.get(c.value) ?? 0, windowShare: share }, params);
      if (assessment.surge) findings.push({ key, value: c.value, assessment, numbers: c.numbers });
    }
  }
  return findings;
}

/**
 * Sends each surge once a day per topic or place: a surge goes on for hours, and every
 * check in that time sees it again; the head needs it once, and again only if it is
 * still going on the next day.
 */
export async function alertSurges(store: Store, tenant: string, timeZone: string, now: Date, params: SurgeParams = DEFAULT_SURGE_PARAMS): Promise<SentAlert[]> {
  const sent: SentAlert[] = [];
  const day = DateTime.fromJSDate(now, { zone: timeZone }).toISODate();
  for (const f of await findSurges(store, tenant, timeZone, now, params)) {
    const alert: SentAlert = { kind: 'surge', key: `surge:${f.key}:${f.value}:${day}`, text: surgeAlertText(f.key, f.value, f.assessment, params.windowHours, f.numbers), incidentNumber: null };
    const detail = { ...f.assessment, numbers: f.numbers, windowHours: params.windowHours, baselineDays: params.baselineDays };
    if (await sendOnce(store, tenant, alert, detail, TO_HEAD_AND_CURATOR, now)) sent.push(alert);
  }
  return sent;
}
