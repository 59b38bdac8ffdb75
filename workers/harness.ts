import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { createLogger, type Logger } from '../config/logger.js';
import { loadSettings } from '../config/settings.js';
import { openStore, StoreUnavailableError, type Store } from '../store/connection.js';

/**
 * What every worker process shares: the store opened (waiting for it with backoff when
 * it is not up yet), a first log line saying what it serves, and a clean stop on SIGINT
 * or SIGTERM — the worker's loop sees the abort signal, finishes or releases its current
 * lease, and only then is the store closed.
 */
export interface WorkerContext {
  readonly role: string;
  /** Unique per process: the lease owner name. */
  readonly workerId: string;
  readonly store: Store;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Resolves after `ms`, or early (without throwing) when the worker is stopping. */
  sleep(ms: number): Promise<void>;
}

export interface WorkerDefinition {
  readonly role: string;
  /** The networks or duties this process covers, for the first log line. */
  readonly serves?: string;
  main(context: WorkerContext): Promise<void>;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Waits for the store with capped exponential backoff and jitter; undefined if stopped first. */
export async function openStoreWhenReady(log: Logger, signal: AbortSignal): Promise<Store | undefined> {
  let delayMs = 1000;
  while (!signal.aborted) {
    try {
      return await openStore({ embedded: 'never', connectTimeoutMs: 5000 });
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      const waitMs = Math.round(delayMs * (0.5 + Math.random()));
      log.warn({ waitMs, reason: error.message }, 'store not reachable yet; waiting');
      await abortableSleep(waitMs, signal);
      delayMs = Math.min(delayMs * 2, 30000);
    }
  }
  return undefined;
}

export function runWorker(definition: WorkerDefinition): Promise<void> {
  return runWorkers([definition]);
}

/**
 * Several roles in one process (`launch.js publisher+watcher+reports`): one store
 * connection, one stop signal, each role's loop beside the others. Roles that mostly wait
 * (on the store, on a network) cost little together, and a process apiece only cost memory.
 */
export async function runWorkers(definitions: readonly WorkerDefinition[]): Promise<void> {
  const role = definitions.map((d) => d.role).join('+');
  const settings = loadSettings();
  const log = createLogger(role, settings.logLevel);
  const controller = new AbortController();
  let stopSignal: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopSignal) {
      log.warn({ signal }, 'second stop signal: exiting at once');
      process.exit(1);
    }
    stopSignal = signal;
    log.info({ signal }, 'stopping: finishing the current item');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const store = await openStoreWhenReady(log, controller.signal);
  if (!store) {
    log.info('stopped before the store was reachable');
    return;
  }
  try {
    const tenants = await store.tenants.list();
    log.info(
      {
        store: store.description,
        tenants: tenants.map((t) => `${t.name} (${t.networks.join(', ') || 'no networks'})`),
        serves: definitions.map((d) => d.serves ?? d.role).join('; '),
        host: os.hostname(),
      },
      `${role} worker started: ${store.description}; tenants: ${tenants.map((t) => t.name).join(', ') || 'none yet (otklik tenant import FILE)'}`,
    );
    const sleep = (ms: number) => abortableSleep(ms, controller.signal);
    const results = await Promise.allSettled(definitions.map(async (d) => {
      const workerId = `${d.role}@${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
      const own = definitions.length === 1 ? log : log.child({ worker: d.role });
      try {
        await d.main({ role: d.role, workerId, store, log: own, signal: controller.signal, sleep });
      } finally {
        // One role failing stops the others: pm2 restarts the process whole.
        if (!controller.signal.aborted) controller.abort();
      }
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    log.error({ err: error }, 'worker failed');
    process.exitCode = 1;
  } finally {
    await store.close().catch((error: unknown) => log.error({ err: error }, 'closing the store failed'));
    log.info('stopped');
  }
}

/** For roles whose modules arrive with a later issue: say so once, then idle until stopped. */
export function idleWorker(role: string, arrivesWith: string): WorkerDefinition {
  return {
    role,
    async main({ log, signal }) {
      log.info(`${role}: ${arrivesWith}; idling until stopped`);
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    },
  };
}
