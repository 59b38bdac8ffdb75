import type { Logger } from '../config/logger.js';
import type { ClaimedWork, Store, WorkKind } from '../store/port.js';

/**
 * The one loop every claiming worker runs (BullMQ's Worker, STYLE "to absorb"): claim a
 * batch of items under a lease in one round trip, renew the lease while the handler works,
 * settle each item as the handler says — done, retry later with backoff and jitter, wait
 * (a network's own hint, a recurring job's next run) without spending an attempt, or give
 * up — and after `maxAttempts` failures move a poison item to the dead letters, where
 * `otklik work dead` shows it and `otklik work retry` puts it back. While the store is
 * unreachable the loop waits with capped exponential backoff and jitter instead of
 * crash-looping; when the queue is empty it looks again soon (a few tens of milliseconds,
 * growing to `idleMaxMs`), so a new item waits for a claim far less than a second.
 */
export type Outcome =
  | { readonly kind: 'done' }
  /** Failed: back after a backoff (or `at`), an attempt spent; buried after `maxAttempts`. */
  | { readonly kind: 'retry'; readonly error: string; readonly at?: Date }
  /** Not now and not a failure: back at `at`, no attempt spent (a rate limit, a job's next run). */
  | { readonly kind: 'postpone'; readonly at: Date; readonly note: string; readonly payload?: unknown }
  /** Cannot ever succeed: straight to the dead letters. */
  | { readonly kind: 'dead'; readonly error: string }
  /** The lease was lost meanwhile, or the handler settled the item itself: leave it. */
  | { readonly kind: 'leave' };

export const done: Outcome = { kind: 'done' };

export interface HandlerContext {
  readonly signal: AbortSignal;
  /** False once the item's lease was lost (renewal found another holder): stop touching it. */
  stillHeld(itemId: string): boolean;
}

export interface ProcessorOptions<P> {
  readonly kind: WorkKind;
  /** Items per claim. */
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  /** Independent claim loops in this process (the publisher's slots), 1 by default. */
  readonly slots?: number;
  readonly idleMinMs?: number;
  readonly idleMaxMs?: number;
  /** Only these items (recurring jobs this process runs). */
  readonly refs?: readonly string[];
  /** Delay before the next try after `attempts` failures; default 5 s doubling to 10 min, ±30 % jitter. */
  readonly retryDelayMs?: (attempts: number) => number;
  /** One outcome per claimed item, in order. */
  handle(items: readonly ClaimedWork<P>[], context: HandlerContext): Promise<readonly Outcome[]>;
  /** Called after each settled batch, for logs and benches. */
  onSettled?(items: readonly ClaimedWork<P>[], outcomes: readonly Outcome[]): void;
}

export interface ProcessorContext {
  /** With notices, a buried item is also told to the tenant's admins through the staff bot. */
  readonly store: Pick<Store, 'work'> & Partial<Pick<Store, 'notices'>>;
  readonly log: Logger;
  readonly owner: string;
  readonly signal: AbortSignal;
  sleep(ms: number): Promise<void>;
  /** The clock the leases and delays are computed with; tests pass their own. */
  readonly now?: () => Date;
}

/** `baseMs · 2^attempt`, capped, with ±`jitter` spread so processes do not retry in step (STYLE 4). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, jitter = 0.3, random: () => number = Math.random): number {
  const exponentialMs = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(exponentialMs * (1 - jitter + 2 * jitter * random()));
}

const defaultRetryDelayMs = (attempts: number): number => backoffMs(attempts, 5_000, 600_000);

export async function runProcessor<P>(context: ProcessorContext, options: ProcessorOptions<P>): Promise<void> {
  const slots = Math.max(1, options.slots ?? 1);
  await Promise.all(Array.from({ length: slots }, () => loop(context, options)));
}

async function loop<P>(context: ProcessorContext, options: ProcessorOptions<P>): Promise<void> {
  const { store, log, signal } = context;
  const clock = context.now ?? (() => new Date());
  const idleMinMs = options.idleMinMs ?? 25;
  const idleMaxMs = options.idleMaxMs ?? 250;
  let idleMs = idleMinMs;
  let storeFailures = 0;
  while (!signal.aborted) {
    let items: ClaimedWork<P>[];
    try {
      items = await store.work.claim<P>(options.kind, context.owner, clock(), options.leaseMs, options.batchSize, options.refs);
      storeFailures = 0;
    } catch (error) {
      storeFailures += 1;
      const waitMs = backoffMs(storeFailures, 250, 30_000);
      log.warn({ err: error, waitMs, kind: options.kind }, 'cannot claim work; waiting for the store');
      await context.sleep(waitMs);
      continue;
    }
    if (items.length === 0) {
      await context.sleep(idleMs);
      idleMs = Math.min(idleMaxMs, idleMs * 2);
      continue;
    }
    idleMs = idleMinMs;
    await processBatch(context, options, items, clock);
  }
}

async function processBatch<P>(context: ProcessorContext, options: ProcessorOptions<P>, items: ClaimedWork<P>[], clock: () => Date): Promise<void> {
  const { store, log, signal } = context;
  let held = items;
  const lost = new Set<string>();
  // Renewed every third of the lease, so only a dead process loses it.
  const renewal = setInterval(() => {
    store.work.renew(options.kind, held, clock(), options.leaseMs)
      .then((still) => {
        const kept = new Set(still.map((s) => s.item.id));
        for (const h of held) {
          if (!kept.has(h.item.id) && !lost.has(h.item.id)) {
            lost.add(h.item.id);
            log.warn({ kind: options.kind, item: h.item.id }, 'lease lost while working: another worker holds the item now');
          }
        }
        held = still;
      })
      .catch((error: unknown) => log.warn({ err: error, kind: options.kind }, 'could not renew leases'));
  }, Math.max(1000, Math.floor(options.leaseMs / 3)));
  let outcomes: readonly Outcome[];
  try {
    outcomes = await options.handle(items, { signal, stillHeld: (id) => !lost.has(id) });
    if (outcomes.length !== items.length) throw new Error(`handler returned ${outcomes.length} outcomes for ${items.length} items`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: error, kind: options.kind, items: items.map((i) => i.item.id) }, 'work failed; will retry');
    outcomes = items.map(() => ({ kind: 'retry', error: message }) as const);
  } finally {
    clearInterval(renewal);
  }
  try {
    await settle(context, options, items.filter((i) => !lost.has(i.item.id)), outcomes.filter((_, index) => !lost.has(items[index]!.item.id)), clock());
    options.onSettled?.(items, outcomes);
  } catch (error) {
    // The store went away while settling: the leases run out and the items are claimed again.
    log.warn({ err: error, kind: options.kind }, 'could not settle work; it will be claimed again after its lease');
  }
}

/** Applies each item's outcome to its queue, as the loop does after a batch (exported for tests that run one step). */
export async function settle<P>(
  context: Pick<ProcessorContext, 'store' | 'log'>,
  options: Pick<ProcessorOptions<P>, 'kind' | 'maxAttempts' | 'retryDelayMs'>,
  items: readonly ClaimedWork<P>[],
  outcomes: readonly Outcome[],
  now: Date,
): Promise<void> {
  const { store, log } = context;
  const finished: ClaimedWork<P>[] = [];
  for (const [index, item] of items.entries()) {
    const outcome = outcomes[index]!;
    switch (outcome.kind) {
      case 'done':
        finished.push(item);
        break;
      case 'leave':
        break;
      case 'postpone':
        await store.work.postpone(options.kind, item, outcome.at, outcome.note, outcome.payload);
        break;
      case 'retry': {
        if (item.item.attempts + 1 >= options.maxAttempts) {
          await store.work.bury(options.kind, item, outcome.error, now);
          log.error({ kind: options.kind, item: item.item.id, attempts: item.item.attempts + 1, error: outcome.error }, `gave up after ${item.item.attempts + 1} attempts: moved to the dead letters (otklik work dead)`);
          await tellAdmins(context, options.kind, item, outcome.error, now);
          break;
        }
        const at = outcome.at ?? new Date(now.getTime() + (options.retryDelayMs ?? defaultRetryDelayMs)(item.item.attempts));
        await store.work.retryLater(options.kind, item, at, outcome.error);
        break;
      }
      case 'dead':
        await store.work.bury(options.kind, item, outcome.error, now);
        log.error({ kind: options.kind, item: item.item.id, error: outcome.error }, 'cannot ever succeed: moved to the dead letters (otklik work dead)');
        await tellAdmins(context, options.kind, item, outcome.error, now);
        break;
    }
  }
  await store.work.complete(options.kind, finished);
}

const WHAT: Readonly<Record<WorkKind, string>> = { classify: 'разбор сообщений', publish: 'публикация ответа', notice: 'доставка уведомления', job: 'регулярная задача' };

/** Staff see what the system gave up on: the tenant's admins, once per item. */
async function tellAdmins(context: Pick<ProcessorContext, 'store' | 'log'>, kind: WorkKind, held: ClaimedWork, error: string, now: Date): Promise<void> {
  const notices = context.store.notices;
  if (!notices || held.item.tenant === '*' || kind === 'notice') return;
  await notices.once(`dead:${kind}:${held.item.id}`, {
    tenant: held.item.tenant, incidentNumber: null, to: { role: 'admin' }, kind: 'dead-letter', createdAt: now,
    text: `Задание «${WHAT[kind]}» (${held.item.ref}) не удалось выполнить после нескольких попыток: ${error}. Посмотреть: otklik work dead; повторить: otklik work retry ${kind}:${held.item.id}`,
  }).catch((e: unknown) => context.log.warn({ err: e }, 'could not tell the admins of a dead letter'));
}
