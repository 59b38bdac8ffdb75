import type { WebStore } from './ports.js';

/**
 * Live updates of the inbox and the card (server-sent events): what this process applies
 * is sent at once; what other processes change (the staff bot, the publisher, another web
 * process) is found by polling the tenant's changes every `pollMs` while anyone of that
 * tenant is connected. Who has a card open is kept here too, so a curator sees that a
 * colleague is on an item before taking it (the store's fence decides anyway).
 */
export type LiveEvent =
  | { readonly type: 'changed'; readonly numbers: readonly number[] }
  | { readonly type: 'viewing'; readonly number: number; readonly code: string; readonly name: string };

type Listener = (event: LiveEvent) => void;

/** A colleague counts as "on the card" this long after opening it. */
export const PRESENCE_MS = 5 * 60 * 1000;

interface Viewer {
  readonly code: string;
  readonly name: string;
  readonly atMs: number;
}

export interface LiveLog {
  warn(obj: object, msg: string): void;
}

export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly watermarks = new Map<string, Date>();
  private readonly viewers = new Map<string, Map<number, Viewer[]>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly store: WebStore,
    private readonly log: LiveLog,
    private readonly pollMs = 2000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  subscribe(tenant: string, listener: Listener): () => void {
    let set = this.listeners.get(tenant);
    if (!set) {
      set = new Set();
      this.listeners.set(tenant, set);
      if (!this.watermarks.has(tenant)) this.watermarks.set(tenant, this.now());
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenant);
    };
  }

  publish(tenant: string, event: LiveEvent): void {
    for (const listener of this.listeners.get(tenant) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.log.warn({ err: error, tenant }, 'live update not sent to one client');
      }
    }
  }

  /** A card was opened: colleagues' inboxes and cards show it. */
  viewing(tenant: string, number: number, code: string, name: string): void {
    const nowMs = this.now().getTime();
    let byNumber = this.viewers.get(tenant);
    if (!byNumber) this.viewers.set(tenant, (byNumber = new Map()));
    const fresh = (byNumber.get(number) ?? []).filter((v) => v.code !== code && nowMs - v.atMs < PRESENCE_MS);
    byNumber.set(number, [...fresh, { code, name, atMs: nowMs }]);
    this.publish(tenant, { type: 'viewing', number, code, name });
  }

  /** Names of the others who opened this card lately. */
  viewersOf(tenant: string, number: number, exceptCode: string): string[] {
    const nowMs = this.now().getTime();
    return (this.viewers.get(tenant)?.get(number) ?? []).filter((v) => v.code !== exceptCode && nowMs - v.atMs < PRESENCE_MS).map((v) => v.name);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: each tenant with someone connected, from where the last round stopped. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const tenant of [...this.listeners.keys()]) {
        const since = this.watermarks.get(tenant) ?? this.now();
        try {
          const { numbers, latest } = await this.store.changesSince(tenant, since);
          this.watermarks.set(tenant, latest);
          if (numbers.length > 0) this.publish(tenant, { type: 'changed', numbers: [...new Set(numbers)] });
        } catch (error) {
          this.log.warn({ err: error, tenant }, 'live updates: could not read the changes; next round tries again');
        }
      }
      this.forgetOldViewers();
    } finally {
      this.polling = false;
    }
  }

  private forgetOldViewers(): void {
    const nowMs = this.now().getTime();
    for (const byNumber of this.viewers.values()) {
      for (const [number, list] of byNumber) {
        const fresh = list.filter((v) => nowMs - v.atMs < PRESENCE_MS);
        if (fresh.length === 0) byNumber.delete(number);
        else byNumber.set(number, fresh);
      }
    }
  }
}
