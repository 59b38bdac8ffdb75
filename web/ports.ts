/**
 * What the staff workplace needs from the store, in domain types only (no ObjectId, no
 * mongoose), like connectors/poll.ts `IngestStore`. store/web/ implements it on today's
 * store; the typed store port can implement it instead without touching web/.
 */
import type { Correction } from '../classifiers/learning.js';
import type { StoredVerdict } from '../classifiers/verdict.js';
import type { ProductionCalendar } from '../workflow/calendar.js';
import type { Actor, Command, Decision, WorkflowIncident } from '../workflow/incident-machine.js';
import type { IncidentState } from '../workflow/incident-states.js';
import type { Importance, RegulationProfile, Step } from '../workflow/profiles.js';
import type { DepartmentEntry, StaffMember, StaffRole } from '../workflow/routing.js';

// ---------------------------------------------------------------------------------------
// People and sign-in

/** One registration of a person as staff of one tenant. */
export interface AccountRef {
  readonly tenant: string;
  readonly code: string;
}

export interface StaffAccount extends AccountRef {
  readonly fullName: string;
  readonly roles: readonly StaffRole[];
  readonly department: string | null;
  /** False once an admin deactivates the person: every session ends at the next request. */
  readonly active: boolean;
}

/** A password sign-in (for staff without Telegram): one login, one scrypt hash, the accounts it opens. */
export interface Credential {
  readonly login: string;
  /** web/passwords.ts format: `scrypt$N$r$p$salt$hash` (base64). */
  readonly passwordHash: string;
  readonly accounts: readonly AccountRef[];
}

export interface WebSession {
  /** SHA-256 of the cookie's token: the token itself is never stored. */
  readonly id: string;
  /** Every tenant the person may work in; a member of several picks one. */
  readonly accounts: readonly AccountRef[];
  /** The account chosen; null until a member of several tenants picks one. */
  readonly current: AccountRef | null;
  readonly csrfToken: string;
  readonly via: 'password' | 'telegram';
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** Absolute end; an idle session ends earlier (web/session.ts). */
  readonly expiresAt: Date;
}

// ---------------------------------------------------------------------------------------
// The tenant as the workflow decides for it

export interface TenantContext {
  readonly tenant: string;
  readonly title: string;
  readonly timeZone: string;
  readonly profile: RegulationProfile;
  readonly calendar: ProductionCalendar;
  readonly staff: readonly StaffMember[];
  readonly departments: readonly DepartmentEntry[];
  /** The tenant's topic list (the classifier's); the curator picks from it. */
  readonly topics: readonly string[];
  /** The topics each department usually answers (by department code): the routing suggestion. */
  readonly departmentTopics: Readonly<Record<string, readonly string[]>>;
}

// ---------------------------------------------------------------------------------------
// Inbox

/** Whom an executor may see: incidents of these departments, or held by these people (themselves, colleagues they stand in for). */
export type Visibility =
  | { readonly kind: 'tenant' }
  | { readonly kind: 'limited'; readonly departments: readonly string[]; readonly staff: readonly string[] };

export interface InboxFilters {
  readonly network?: string;
  readonly topic?: string;
  readonly department?: string;
  readonly importance?: Importance;
  readonly due?: 'soon' | 'overdue';
  readonly repeat?: boolean;
  /** Words of the message, its place or topic, or «№ 123». */
  readonly text?: string;
}

/** A set of states (and optionally the publisher's hand-over to a person) listed or counted together. */
export interface StateSet {
  readonly states: readonly IncidentState[];
  /** true: only answers whose delivery a person must check; false: only the others; absent: either. */
  readonly manualCheck?: boolean;
}

export interface InboxQuery {
  readonly tenant: string;
  /** The queue shown. */
  readonly list: StateSet;
  /** The queues whose sizes the tabs show, by id (visibility applied, filters not). */
  readonly count: Readonly<Record<string, StateSet>>;
  readonly visibility: Visibility;
  readonly filters: InboxFilters;
  readonly now: Date;
  readonly dueSoonMs: number;
  /** 0-based. */
  readonly page: number;
  readonly pageSize: number;
}

export interface InboxRow {
  readonly number: number;
  readonly state: IncidentState;
  readonly network: string;
  readonly topic: string | null;
  readonly location: string | null;
  readonly importance: Importance;
  readonly repeatOf: number | null;
  readonly departments: readonly string[];
  /** The department holding it now (001 [21]). */
  readonly department: string | null;
  readonly assignee: string | null;
  readonly nextDueAt: Date | null;
  /** The step whose term is nextDueAt. */
  readonly nextStep: Step | null;
  readonly detectedAt: Date;
  /** The start of the message, for the list: no author data. */
  readonly excerpt: string;
  /** The publisher could not tell whether the answer went out: a person must check (it stays «Публикуется»). */
  readonly manualCheck: boolean;
}

export interface InboxPage {
  readonly rows: readonly InboxRow[];
  /** Rows that match, over all pages. */
  readonly total: number;
  /** Per id of `InboxQuery.count`. */
  readonly counts: Readonly<Record<string, number>>;
}

// ---------------------------------------------------------------------------------------
// Card

export interface CardMessage {
  readonly text: string;
  readonly network: string;
  /** The original in the network. */
  readonly url: string | null;
  readonly postedAt: Date;
  readonly attachments: readonly { readonly type: string; readonly url: string }[];
  /** Personal data (152-ФЗ): shown only to staff allowed to see the incident. */
  readonly author: { readonly id: string; readonly name: string; readonly profileUrl: string | null; readonly anonymous: boolean };
}

export type CardIncident = WorkflowIncident & {
  readonly tenant: string;
  readonly network: string;
  readonly verdict: StoredVerdict | null;
  /** The history's length: what a form carries so that a change since it was drawn is caught. */
  readonly version: number;
  readonly publication: WorkflowIncident['publication'] & {
    readonly attempts: readonly { readonly channel: string; readonly startedAt: Date; readonly outcome: string | null; readonly error: string | null }[];
  };
};

export interface IncidentCard {
  readonly incident: CardIncident;
  readonly message: CardMessage | null;
  /** The earlier incident a repeat refers to (001 [19]). */
  readonly earlier: { readonly number: number; readonly answer: string | null; readonly departments: readonly string[] } | null;
}

// ---------------------------------------------------------------------------------------
// Commands

export interface ApplyRequest {
  readonly tenant: string;
  readonly number: number;
  readonly command: Command;
  readonly actor: Actor;
  /** What the form showed: a change since then refuses the command (StaleCardError). */
  readonly seen: { readonly state: IncidentState; readonly version: number };
  /** Curator changes of the classifier's suggestions: they retrain it, as from the bot. */
  readonly corrections?: readonly Correction[];
  readonly now: Date;
}

export interface Applied {
  readonly decision: Decision;
  readonly incident: CardIncident;
}

/** The incident changed since the form was drawn: nothing was written; reload and decide again. */
export class StaleCardError extends Error {
  override readonly name = 'StaleCardError';
  readonly retryable = false;
  constructor(
    readonly number: number,
    readonly state: IncidentState,
  ) {
    super(`Карточка устарела: обращение № ${number} изменилось после того, как вы её открыли. Ничего не записано — посмотрите, что изменилось, и решите снова.`);
  }
}

export class IncidentUnavailableError extends Error {
  override readonly name = 'IncidentUnavailableError';
  readonly retryable = false;
  constructor(readonly number: number) {
    super(`Обращение № ${number} не найдено или недоступно вам`);
  }
}

// ---------------------------------------------------------------------------------------
// Canned answers, the read register, the dashboard

export interface CannedAnswer {
  readonly id: string;
  readonly tenant: string;
  readonly title: string;
  readonly text: string;
  /** null: for any topic. */
  readonly topic: string | null;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

export interface CannedAnswerInput {
  readonly tenant: string;
  /** Absent: a new one. */
  readonly id?: string;
  readonly title: string;
  readonly text: string;
  readonly topic: string | null;
  readonly by: string;
  readonly now: Date;
}

/** One view of an incident card by a staff member (issue 12 point 10, 152-ФЗ). */
export interface ReadEntry {
  readonly tenant: string;
  readonly number: number;
  readonly who: string;
  readonly at: Date;
  /** The author's name and profile were on the page. */
  readonly personalData: boolean;
}

export interface CountRow {
  readonly key: string | null;
  readonly count: number;
}

export interface DashboardData {
  readonly today: { readonly total: number; readonly byTopic: readonly CountRow[]; readonly byNetwork: readonly CountRow[] };
  readonly month: { readonly total: number; readonly byTopic: readonly CountRow[]; readonly byNetwork: readonly CountRow[] };
  /** Open terms past due now, one row per term. */
  readonly overdue: ReadonlyArray<{ readonly number: number; readonly step: Step; readonly dueAt: Date; readonly responsible: string | null; readonly department: string | null }>;
  /** Answers published this month: from detection to the answer. */
  readonly answers: ReadonlyArray<{ readonly number: number; readonly detectedAt: Date; readonly answeredAt: Date }>;
  readonly surges: ReadonlyArray<{ readonly key: 'topic' | 'location'; readonly value: string; readonly observed: number; readonly expected: number; readonly numbers: readonly number[] }>;
}

// ---------------------------------------------------------------------------------------
// The port

export interface WebStore {
  account(ref: AccountRef): Promise<StaffAccount | null>;
  accountsByTelegramId(telegramUserId: number): Promise<StaffAccount[]>;
  credential(login: string): Promise<Credential | null>;
  /** Deletes the one-time sign-in token and returns whom it was for; null if unknown, used or expired. */
  consumeSignInToken(tokenId: string, now: Date): Promise<{ readonly telegramUserId: number } | null>;

  createSession(session: WebSession): Promise<void>;
  findSession(id: string): Promise<WebSession | null>;
  updateSession(id: string, change: Partial<Pick<WebSession, 'current' | 'lastSeenAt' | 'csrfToken'>>): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteExpiredSessions(now: Date, idleMs: number): Promise<number>;

  tenant(tenant: string, now: Date): Promise<TenantContext>;
  tenantTitles(tenants: readonly string[]): Promise<ReadonlyMap<string, string>>;

  inbox(query: InboxQuery): Promise<InboxPage>;
  card(tenant: string, number: number): Promise<IncidentCard | null>;
  /** Decides the command with workflow/ and writes it fenced, as the staff bot does. */
  apply(request: ApplyRequest): Promise<Applied>;
  /**
   * Numbers of the tenant's incidents changed after `since` (by anyone: this process, the
   * bot, the workers), and the instant to ask from next time; both on this process's clock.
   */
  changesSince(tenant: string, since: Date): Promise<{ readonly numbers: readonly number[]; readonly latest: Date }>;

  cannedAnswers(tenant: string): Promise<CannedAnswer[]>;
  cannedAnswer(tenant: string, id: string): Promise<CannedAnswer | null>;
  saveCannedAnswer(input: CannedAnswerInput): Promise<CannedAnswer>;
  deleteCannedAnswer(tenant: string, id: string): Promise<boolean>;

  recordRead(entry: ReadEntry): Promise<void>;
  readsOf(tenant: string, number: number, limit: number): Promise<ReadEntry[]>;

  dashboard(tenant: string, period: { readonly dayFrom: Date; readonly monthFrom: Date; readonly to: Date; readonly timeZone: string }): Promise<DashboardData>;
}
