import type { IncidentState } from '../../workflow/incident-states.js';
import type { Importance, Step } from '../../workflow/profiles.js';
import type { Store } from '../connection.js';
import { incidentModel } from '../models/incident.js';
import { messageModel } from '../models/message.js';

/**
 * The open incidents of each tenant as the inbox lists them, kept in the web process.
 * Measured on the embedded server at 10,000 open incidents: reading them for every page
 * took 0.7–1.5 s (the rows with their deadlines and message texts), far over the 300 ms
 * an inbox may take. So the rows are read once, and then only what changed is read again:
 * a light scan of each incident's state, revision, last change and hand-over to a person
 * (0.1–0.3 s at 10,000, every few seconds in the background, never while a page waits)
 * tells which ones, and those are re-read by their unique {tenant, number}. What this
 * process itself changes is re-read at once. The lead's "open incidents" key collection
 * can replace this class behind the same WebStore.inbox.
 */
export const OPEN_STATES: readonly IncidentState[] = ['triage', 'returned', 'assigned', 'draft', 'review', 'rework', 'approved', 'publishing', 'awaiting-final', 'awaiting-author'];

export interface OpenRow {
  readonly number: number;
  readonly state: IncidentState;
  readonly network: string;
  readonly topic: string | null;
  readonly location: string | null;
  readonly importance: Importance;
  readonly repeatOf: number | null;
  readonly departments: readonly string[];
  readonly departmentIndex: number;
  readonly assignee: string | null;
  readonly nextDueAt: Date | null;
  readonly nextStep: Step | null;
  readonly detectedAt: Date;
  readonly manualCheck: boolean;
  /** The citizen's message, for the excerpt and the search; never shown with the author. */
  readonly text: string;
}

export const ROW_FIELDS = {
  number: 1, state: 1, network: 1, topic: 1, location: 1, importance: 1, repeatOf: 1, departments: 1, departmentIndex: 1,
  assignee: 1, nextDueAt: 1, deadlines: 1, detectedAt: 1, message: 1, 'publication.manualCheck': 1, revision: 1, updatedAt: 1,
} as const;

const SIGNATURE_FIELDS = { number: 1, state: 1, revision: 1, updatedAt: 1, 'publication.manualCheck': 1 } as const;
const TEXT_CHUNK = 500;
const NOTICED_KEPT_MS = 10 * 60_000;

export interface RowDoc {
  number: number; state: IncidentState; network: string; topic?: string | null; location?: string | null; importance?: Importance;
  repeatOf?: number | null; departments?: string[]; departmentIndex?: number; assignee?: string | null; nextDueAt?: Date | null;
  deadlines?: Array<{ step: string; dueAt: Date; metAt?: Date | null; conditional?: boolean }>; detectedAt: Date; message: unknown;
  publication?: { manualCheck?: unknown }; revision?: number; updatedAt?: Date;
}

function signature(d: { state: string; revision?: number; updatedAt?: Date; publication?: { manualCheck?: unknown } }): string {
  return `${d.state}|${d.revision ?? 0}|${d.updatedAt?.getTime() ?? 0}|${d.publication?.manualCheck != null ? 1 : 0}`;
}

function nextStepOf(d: RowDoc): Step | null {
  if (!d.nextDueAt) return null;
  const due = d.nextDueAt.getTime();
  return ((d.deadlines ?? []).find((t) => !t.metAt && !t.conditional && t.dueAt.getTime() === due)?.step as Step | undefined) ?? null;
}

export function toRow(d: RowDoc, text: string): OpenRow {
  return {
    number: d.number, state: d.state, network: d.network, topic: d.topic ?? null, location: d.location ?? null, importance: d.importance ?? 'normal',
    repeatOf: d.repeatOf ?? null, departments: d.departments ?? [], departmentIndex: d.departmentIndex ?? 0, assignee: d.assignee ?? null,
    nextDueAt: d.nextDueAt ?? null, nextStep: nextStepOf(d), detectedAt: d.detectedAt, manualCheck: d.publication?.manualCheck != null, text,
  };
}

export async function messageTexts(store: Store, ids: readonly unknown[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const messages = store.connection.db!.collection(messageModel(store.connection).collection.name);
  for (let i = 0; i < ids.length; i += TEXT_CHUNK) {
    const docs = await messages.find({ _id: { $in: ids.slice(i, i + TEXT_CHUNK) } } as never, { projection: { text: 1 } }).toArray();
    for (const d of docs) out.set(String(d._id), typeof d.text === 'string' ? d.text : '');
  }
  return out;
}

interface TenantRows {
  readonly rows: Map<number, OpenRow>;
  readonly signatures: Map<number, string>;
  /** When this process noticed each change (its own clock): what live updates ask for. */
  readonly noticedAtMs: Map<number, number>;
  refreshedAtMs: number;
  lastUsedMs: number;
  refreshing: Promise<number[]> | null;
}

export class OpenIncidents {
  private readonly tenants = new Map<string, Promise<TenantRows>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    /** How often the background scan runs for a tenant in use. */
    private readonly refreshEveryMs = 3000,
    /** A tenant nobody asked about for this long is not scanned (its rows stay, refreshed at the next use). */
    private readonly idleAfterMs = 5 * 60_000,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  private get incidents() {
    return this.store.connection.db!.collection(incidentModel(this.store.connection).collection.name);
  }

  /** The tenant's open rows: read in full on first use, then kept current in the background. */
  async rows(tenant: string): Promise<readonly OpenRow[]> {
    const t = await this.tenant(tenant);
    t.lastUsedMs = this.nowMs();
    // Long unused: its rows may be far behind, so this one page waits for the scan.
    if (t.lastUsedMs - t.refreshedAtMs > this.idleAfterMs) await this.refresh(tenant);
    return [...t.rows.values()];
  }

  /** Numbers changed (as noticed here) after `sinceMs`; scans first if the last scan is older than a second. */
  async changedSince(tenant: string, sinceMs: number): Promise<number[]> {
    const t = await this.tenant(tenant);
    t.lastUsedMs = this.nowMs();
    if (this.nowMs() - t.refreshedAtMs > 1000) await this.refresh(tenant);
    return [...t.noticedAtMs].filter(([, at]) => at > sinceMs).map(([n]) => n);
  }

  /** Re-reads incidents this process has just changed, so its own pages show them at once. */
  async touch(tenant: string, numbers: readonly number[]): Promise<void> {
    if (!this.tenants.has(tenant)) return;
    const t = await this.tenant(tenant);
    for (const number of numbers) await this.reload(tenant, t, number);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.refreshEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    for (const [tenant, loading] of this.tenants) {
      const t = await loading.catch(() => null);
      if (!t || this.nowMs() - t.lastUsedMs > this.idleAfterMs) continue;
      await this.refresh(tenant).catch(() => undefined);
    }
  }

  private tenant(tenant: string): Promise<TenantRows> {
    let loading = this.tenants.get(tenant);
    if (!loading) {
      loading = this.load(tenant);
      this.tenants.set(tenant, loading);
      // A failed first load is retried by the next request, not remembered.
      loading.catch(() => this.tenants.delete(tenant));
    }
    return loading;
  }

  private async load(tenant: string): Promise<TenantRows> {
    const startedMs = this.nowMs();
    const docs = (await this.incidents.find({ tenant, state: { $in: [...OPEN_STATES] } } as never, { projection: ROW_FIELDS }).toArray()) as unknown as RowDoc[];
    const texts = await messageTexts(this.store, docs.map((d) => d.message));
    const t: TenantRows = { rows: new Map(), signatures: new Map(), noticedAtMs: new Map(), refreshedAtMs: startedMs, lastUsedMs: startedMs, refreshing: null };
    for (const d of docs) {
      t.rows.set(d.number, toRow(d, texts.get(String(d.message)) ?? ''));
      t.signatures.set(d.number, signature(d));
    }
    return t;
  }

  private refresh(tenant: string): Promise<number[]> {
    return this.tenant(tenant).then((t) => {
      // One scan at a time per tenant: concurrent callers share it.
      t.refreshing ??= this.scan(tenant, t).finally(() => {
        t.refreshing = null;
      });
      return t.refreshing;
    });
  }

  private async scan(tenant: string, t: TenantRows): Promise<number[]> {
    const startedMs = this.nowMs();
    const current = (await this.incidents.find({ tenant, state: { $in: [...OPEN_STATES] } } as never, { projection: SIGNATURE_FIELDS }).toArray()) as unknown as Array<{ number: number; state: string; revision?: number; updatedAt?: Date; publication?: { manualCheck?: unknown } }>;
    const changed: number[] = [];
    const seen = new Set<number>();
    for (const d of current) {
      seen.add(d.number);
      if (t.signatures.get(d.number) !== signature(d)) changed.push(d.number);
    }
    // No longer open (closed, rejected): out of the inbox's open queues.
    for (const number of t.rows.keys()) if (!seen.has(number)) changed.push(number);
    for (const number of changed) await this.reload(tenant, t, number);
    t.refreshedAtMs = startedMs;
    // Live updates ask for the last few seconds only.
    for (const [number, at] of t.noticedAtMs) if (startedMs - at > NOTICED_KEPT_MS) t.noticedAtMs.delete(number);
    return changed;
  }

  private async reload(tenant: string, t: TenantRows, number: number): Promise<void> {
    const d = (await this.incidents.findOne({ tenant, number } as never, { projection: ROW_FIELDS })) as unknown as RowDoc | null;
    if (!d || !OPEN_STATES.includes(d.state)) {
      t.rows.delete(number);
      t.signatures.delete(number);
    } else {
      const previous = t.rows.get(number);
      const text = previous?.text ?? (await messageTexts(this.store, [d.message])).get(String(d.message)) ?? '';
      t.rows.set(number, toRow(d, text));
      t.signatures.set(number, signature(d));
    }
    t.noticedAtMs.set(number, this.nowMs());
  }
}
