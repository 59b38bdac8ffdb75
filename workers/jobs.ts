import type { Logger } from '../config/logger.js';
import type { Store } from '../store/port.js';
import { backoffMs, runProcessor, type ProcessorContext } from './processor.js';

/**
 * Recurring jobs (the deadline watcher's tick, the alerts, the monthly report, retraining)
 * as items of the `job` queue that reschedule themselves: each run is held under a lease,
 * so two processes never run the same job at once and a crashed run is taken over when its
 * lease ends; the next run's time is the item's `availableAt`, so a restart neither skips
 * nor repeats a run (Agenda's model, through the one work processor).
 */
export interface RecurringJob {
  readonly name: string;
  /** When it runs next, after a run that ended at `now`. */
  next(now: Date): Date;
  run(now: Date, signal: AbortSignal): Promise<void>;
}

/** Every `ms`, counted from the end of the previous run. */
export function every(ms: number): (now: Date) => Date {
  return (now) => new Date(now.getTime() + ms);
}

const JOB_TENANT = '*';

export async function runJobs(context: ProcessorContext & { readonly store: Pick<Store, 'work'>; readonly log: Logger }, jobs: readonly RecurringJob[], leaseMs = 10 * 60 * 1000): Promise<void> {
  const now = (context.now ?? (() => new Date()))();
  // Each job's item is there once: a second process seeding it changes nothing.
  await context.store.work.enqueue('job', jobs.map((j) => ({ tenant: JOB_TENANT, ref: j.name, availableAt: now })), now);
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const failures = new Map<string, number>();
  await runProcessor(context, {
    kind: 'job',
    batchSize: 1,
    leaseMs,
    maxAttempts: Number.MAX_SAFE_INTEGER,
    refs: jobs.map((j) => j.name),
    idleMinMs: 200,
    idleMaxMs: 1000,
    async handle([held], { signal }) {
      const job = byName.get(held!.item.ref)!;
      try {
        await job.run(new Date(), signal);
        failures.delete(job.name);
        return [{ kind: 'postpone', at: job.next(new Date()), note: `last run ${new Date().toISOString()}` }];
      } catch (error) {
        // A recurring job never goes to the dead letters: it backs off and runs again.
        const count = (failures.get(job.name) ?? 0) + 1;
        failures.set(job.name, count);
        const waitMs = Math.min(job.next(new Date()).getTime() - Date.now(), backoffMs(count, 1000, 60_000)) || 1000;
        context.log.warn({ err: error, job: job.name, waitMs }, `job ${job.name} failed; runs again in ${Math.round(waitMs / 1000)} s`);
        return [{ kind: 'postpone', at: new Date(Date.now() + Math.max(1000, waitMs)), note: error instanceof Error ? error.message : String(error) }];
      }
    },
  });
}
