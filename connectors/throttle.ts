import PQueue from 'p-queue';

export interface RateLimit {
  /** Calls allowed per interval. */
  readonly calls: number;
  readonly intervalMs: number;
}

export interface ThrottleOptions {
  /** The limit for the whole token. */
  readonly overall: RateLimit;
  /** A second limit per destination (Telegram: per chat), when the network has one. */
  readonly perKey?: (key: string) => RateLimit;
}

/**
 * The one place where a connector's calls are paced (STYLE 9): the client wraps its
 * call function with `run`, so fetch and publish code never sleeps for rate limits.
 * A per-key queue (one chat) feeds the overall queue, so a busy chat waits for its own
 * slot without holding back the others.
 */
export class Throttle {
  private readonly overall: PQueue;
  private readonly perKey = new Map<string, PQueue>();

  constructor(private readonly options: ThrottleOptions) {
    this.overall = queueFor(options.overall);
  }

  run<T>(call: () => Promise<T>, key?: string): Promise<T> {
    if (key === undefined || this.options.perKey === undefined) return this.overall.add(call);
    let queue = this.perKey.get(key);
    if (queue === undefined) {
      const limit = this.options.perKey(key);
      queue = queueFor(limit);
      this.perKey.set(key, queue);
    }
    const own = queue;
    return own.add(() => this.overall.add(call)).finally(() => {
      // Idle chats are forgotten so a bot talking to thousands of users keeps a flat memory.
      if (own.size === 0 && own.pending === 0) {
        setTimeout(() => { if (own.size === 0 && own.pending === 0) this.perKey.delete(key); }, limitWindowMs(this.options, key)).unref();
      }
    });
  }

  /**
   * How long a new call for `key` would wait behind those already waiting for that key's
   * window (0 when none wait): a publisher asks this before it takes a slot's time, so one
   * chat's limit (Telegram: 20 a minute in a group) does not hold the answers for everyone else.
   */
  backlogMs(key: string): number {
    const queue = this.perKey.get(key);
    if (queue === undefined || queue.size === 0 || this.options.perKey === undefined) return 0;
    const limit = this.options.perKey(key);
    return Math.ceil((queue.size + 1) / limit.calls) * limit.intervalMs;
  }

  /** Calls waiting or running, for the worker's health line. */
  get pending(): number {
    let count = this.overall.size + this.overall.pending;
    for (const queue of this.perKey.values()) count += queue.size;
    return count;
  }
}

function queueFor(limit: RateLimit): PQueue {
  if (!Number.isFinite(limit.calls)) return new PQueue();
  return new PQueue({ intervalCap: limit.calls, interval: limit.intervalMs, strict: true });
}

function limitWindowMs(options: ThrottleOptions, key: string): number {
  return options.perKey?.(key).intervalMs ?? 0;
}

/** A throttle that never waits, for tests that count requests rather than pace them. */
export function unthrottled(): Throttle {
  return new Throttle({ overall: { calls: Number.POSITIVE_INFINITY, intervalMs: 1 } });
}
