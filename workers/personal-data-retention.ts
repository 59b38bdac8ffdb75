import type { Logger } from '../config/logger.js';
import type { Store } from '../store/port.js';
import { every, type RecurringJob } from './jobs.js';

/**
 * Retention of authors' personal data (issue 12 point 10; 004 [1.4], 152-ФЗ): once a day,
 * for each tenant with a retention period (`otklik personal-data retention --days N`),
 * messages fetched more than N days ago whose incident is closed lose their author's name,
 * profile, id (a pseudonym), text and raw payload, as `otklik personal-data erase` does;
 * put-aside payloads older than that are dropped. Incidents keep their figures, so the
 * monthly reports do not change. A recurring job of the work processor (workers/jobs.ts):
 * one run at a time across processes, in batches so that a stop is never far away.
 */
const DAY_MS = 24 * 3600 * 1000;
const BATCH = 500;

export function personalDataRetentionJob(store: Store, log: Logger): RecurringJob {
  return {
    name: 'personal-data-retention',
    next: every(DAY_MS),
    async run(now, signal) {
      for (const { name: tenant } of await store.tenants.list()) {
        const days = await store.personalData.retentionDays(tenant);
        if (days === null) continue;
        const before = new Date(now.getTime() - days * DAY_MS);
        const total = { messages: 0, incidents: 0, putAside: 0 };
        for (;;) {
          const batch = await store.personalData.anonymiseBefore(tenant, before, now, BATCH);
          total.messages += batch.messages;
          total.incidents += batch.incidents;
          total.putAside += batch.putAside;
          if (!batch.more || signal.aborted) break;
        }
        if (total.messages + total.putAside > 0) {
          log.info({ tenant, days, before, ...total }, `personal data: ${total.messages} message(s) older than ${days} day(s) anonymised, ${total.putAside} put-aside payload(s) dropped`);
        }
      }
    },
  };
}
