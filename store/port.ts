/**
 * The store port: everything the rest of the project asks of the store, in domain types.
 * Workers, the CLI, reports and the workplace hold a `Store` and call its repositories
 * (`store.incidents.apply(…)`, `store.work.claim(…)`); how that maps onto MongoDB
 * collections, which keys are unique and which writes are fenced is the business of
 * store/ alone, and nothing outside it imports mongoose (STYLE 6; BullMQ's queue backend,
 * Agenda's JobRepository).
 *
 * The embedded server (mongo-java-server) uses an index only when a filter names exactly
 * the keys of a unique index, so every hot path here reads and writes by `_id` or by such
 * a key, and whatever is scanned (open incidents, a work queue) is kept small: closed
 * incidents leave for monthly archive collections, done work leaves its queue.
 */
import type { PublishAttemptLog, RejectedPayload } from '../connectors/connector.js';
import type { IngestStore } from '../connectors/poll.js';
import type { AccountEntry, DepartmentEntry, GazetteerEntry, KeywordListEntry, StaffEntry, TenantFile } from '../config/tenant-schema.js';
import type { Correction, ModelVersion, RetrainResult } from '../classifiers/learning.js';
import type { Classifier } from '../classifiers/verdict.js';
import type { MessageAttachment, MessageAuthor, Network, NormalizedMessage } from '../connectors/types.js';
import type { CalendarYear } from '../workflow/calendar.js';
import type { FiledMinutes } from './watch-slots.js';
import type {
  Actor, ClassifyVerdict, Command, Decision, DeadlineRecord, EarlierIncident, WorkflowIncident,
} from '../workflow/incident-machine.js';
import type { IncidentState } from '../workflow/incident-states.js';
import type { ProfileOverrides, RegulationProfile, Step } from '../workflow/profiles.js';
import type { AbsenceReason, StaffMember, StaffRole } from '../workflow/routing.js';
import type {
  AnswerRow, DeadlineRow, HighImportanceIncident, KeyCount, Period, ProblemRow, RejectionRow, RepeatRow, ReportCounts, SurgeKey,
} from './report-types.js';

/** The watcher's minutes (store/watch-slots.ts): what a tick read, and a time's minute. */
export { slotMinute, type FiledMinutes } from './watch-slots.js';

// ---------------------------------------------------------------------------------------
// Tenants and staff

export interface TenantSummary {
  readonly name: string;
  readonly title: string;
  readonly timeZone: string;
  readonly networks: string[];
}

/** What the workflow needs to decide for one tenant: its profile, calendar, staff and departments. */
export interface TenantRuntime {
  readonly tenant: string;
  readonly title: string;
  readonly timeZone: string;
  readonly profile: RegulationProfile;
  readonly calendar: import('../workflow/calendar.js').ProductionCalendar;
  readonly staff: StaffMember[];
  readonly departments: import('../workflow/routing.js').DepartmentEntry[];
}

export interface SectionReport {
  readonly created: string[];
  readonly changed: string[];
  readonly unchanged: string[];
  /** Staff: people the imported list left out, deactivated (kept for the record, their access ended). */
  readonly deactivated?: string[];
}

export interface ImportOptions {
  /** A line per batch of a long section («справочник мест: записано 10000 из 60000»). */
  readonly onProgress?: (line: string) => void;
  readonly now?: Date;
  /** Rows per insert (tests make it small to see several batches). */
  readonly batchSize?: number;
}
export type Section = 'tenant' | 'departments' | 'staff' | 'keywordLists' | 'gazetteer';
export type ImportReport = Partial<Record<Section, SectionReport>>;

export interface NetworkAccount {
  readonly tenant: string;
  readonly account: AccountEntry;
  /** The union of the account's keyword lists: what a mention must contain. */
  readonly keywords: string[];
}

export interface TenantProfile {
  readonly presetId: string;
  readonly overrides: unknown;
  readonly profile: RegulationProfile;
}

export interface AbsenceInput {
  /** Local days in the tenant's zone, YYYY-MM-DD, both included. */
  readonly from: string;
  readonly to: string;
  readonly reason: AbsenceReason;
  /** A new deputy for the person (000 [5], 001 [6]); else the one on record stands in. */
  readonly deputy?: string;
}

export interface TenantDirectory {
  readonly title: string;
  readonly timeZone: string;
  readonly departments: ReadonlyMap<string, string>;
  readonly staff: ReadonlyMap<string, { readonly fullName: string; readonly department: string | null; readonly roles: readonly string[] }>;
}

export interface TenantRepository {
  list(): Promise<TenantSummary[]>;
  /** Throws UnknownTenantError (store/errors.ts) for a tenant that is not there. */
  runtime(tenant: string): Promise<TenantRuntime>;
  directory(tenant: string): Promise<TenantDirectory>;
  /** Every enabled account of one network across tenants, with its keywords: what a connector polls. */
  accounts(network: string): Promise<NetworkAccount[]>;
  /**
   * Imports are all or nothing (store/tenant-config.ts): the tenant they would leave is
   * checked whole against the stored one (TenantRulesError), then switched in with one
   * update; a store failure (ImportWriteError) or a concurrent change (ConcurrentImportError)
   * leaves the previous configuration in force. A staff list is the whole list: anyone it
   * leaves out is deactivated.
   */
  importFile(file: TenantFile, options?: ImportOptions): Promise<ImportReport>;
  importDepartments(tenant: string, entries: readonly DepartmentEntry[], options?: ImportOptions): Promise<SectionReport>;
  importStaff(tenant: string, entries: readonly StaffEntry[], options?: ImportOptions): Promise<SectionReport>;
  importKeywordLists(tenant: string, entries: readonly KeywordListEntry[], options?: ImportOptions): Promise<SectionReport>;
  importGazetteer(tenant: string, entries: readonly GazetteerEntry[], options?: ImportOptions): Promise<SectionReport>;
  exportFile(tenant: string): Promise<TenantFile>;
  exportDepartments(tenant: string): Promise<DepartmentEntry[]>;
  exportStaff(tenant: string): Promise<StaffEntry[]>;
  exportKeywordLists(tenant: string): Promise<KeywordListEntry[]>;
  exportGazetteer(tenant: string): Promise<GazetteerEntry[]>;
  /** Codes already stored, for checking references of a partial import before writing. */
  existingCodes(tenant: string): Promise<{ departments: Set<string>; staff: Set<string>; keywordLists: Set<string> }>;
  profile(tenant: string): Promise<TenantProfile>;
  setProfileOverrides(tenant: string, overrides: ProfileOverrides, presetId?: string): Promise<TenantProfile>;
  addAbsence(tenant: string, code: string, input: AbsenceInput): Promise<{ from: Date; to: Date; deputy: string | null }>;
  /** The tenant's own topic list (tenant.topics); empty when it uses the shipped topics. */
  topics(tenant: string): Promise<string[]>;
  /** What `otklik deadline` needs of a stored tenant; undefined when there is none. */
  regulation(tenant: string): Promise<import('../workflow/deadline-request.js').TenantRegulation | undefined>;
}

/** A registration of a Telegram user as staff of one tenant. */
export interface StaffAccount {
  readonly tenant: string;
  readonly code: string;
  readonly fullName: string;
  readonly roles: readonly StaffRole[];
  readonly telegramUserId: number;
}

/** Who reads a notice: everyone with a role (admins hear of the system itself: the calendar, dead letters), or one person. */
export type Recipient = { readonly role: 'curator' | 'head' | 'admin' } | { readonly staff: string };

/** A staff member as the workplace needs them to decide access (workflow/visibility.ts canSee). */
export interface StaffProfile {
  readonly tenant: string;
  readonly code: string;
  readonly fullName: string;
  readonly roles: readonly StaffRole[];
  readonly department: string | null;
  readonly active: boolean;
}

export interface StaffDirectoryRepository {
  /** Every active registration of this Telegram user, across tenants (one bot serves the deployment). */
  byTelegramId(telegramUserId: number): Promise<StaffAccount[]>;
  /** Who reads a notice: the role's active members, or the person and, while they are away, their deputy. */
  recipients(tenant: string, to: Recipient, staff: readonly StaffMember[], now: Date): Promise<StaffAccount[]>;
  /**
   * Whether the person is on the tenant's active staff now: false once an import left them
   * out (or set `active: false`). Two reads by unique keys: the web workplace asks it on
   * every request, so a deactivated person's session ends at their next click.
   */
  isActive(tenant: string, code: string): Promise<boolean>;
  /** The person as the tenant's active configuration has them (inactive ones too); null when unknown. */
  member(tenant: string, code: string): Promise<StaffProfile | null>;
}

// ---------------------------------------------------------------------------------------
// Messages and cursors

export interface IngestCounts {
  readonly inserted: number;
  readonly duplicates: number;
}

/** A stored message: the connectors' shape plus where and when it was stored. */
export interface StoredMessage extends NormalizedMessage {
  /** `tenant:network:externalId`: the message's key and `_id`. */
  readonly id: string;
  readonly tenant: string;
  /** The tenant's account it came through ('' when the connector did not say). */
  readonly account: string;
  readonly fetchedAt: Date;
  /** The incident it was made into, or the one it answered (a clarification reply); null before classification. */
  readonly incident: number | null;
}

export interface MessageRepository {
  /**
   * Stores fetched messages once each (a re-fetch is counted as duplicates) and queues their
   * classification first (intent before state: a crash in between leaves work that finds no
   * message, never a message nobody classifies). `fetchedAt` is the moment of the fetch (now
   * by default): the incident's terms count from it.
   */
  ingest(tenant: string, messages: readonly NormalizedMessage[], account?: string, fetchedAt?: Date): Promise<IngestCounts>;
  /** Items a connector could not normalize: kept aside with the problem, never lost. */
  putAside(tenant: string, rejected: readonly RejectedPayload[]): Promise<void>;
  get(id: string): Promise<StoredMessage | null>;
  /** `withoutRaw`: the network's payload is left out (null), for readers that need only the message (the classifier). */
  getMany(ids: readonly string[], options?: { readonly withoutRaw?: boolean }): Promise<StoredMessage[]>;
}

export interface CursorRepository {
  load(tenant: string, network: string, account: string, stream?: string): Promise<unknown>;
  save(tenant: string, network: string, account: string, value: unknown, stream?: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Incidents

export interface PublicationAttemptRecord {
  readonly draftId: string;
  /** 'public' (the reply in place) or 'private' (the fallback message to the author). */
  readonly channel: 'public' | 'private';
  /** What the network's key derives from: the answer id, or `<answer id>:private` for the fallback. */
  readonly idempotencyKey: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  /** The connector's result status: published | blocked | retryable | config | uncertain. */
  readonly outcome: string | null;
  readonly externalId: string | null;
  /** The API's error as the connector recorded it, or a transport message. */
  readonly error: unknown;
}

export interface StoredPublication {
  readonly outcome: string | null;
  readonly outcomeLabel: string | null;
  readonly attempts: readonly PublicationAttemptRecord[];
  /** 004 [3.5]: of interest to everyone; the curator is reminded to post it on the official pages and site. */
  readonly publicInterest: boolean;
  /** The publisher could not tell whether the answer went out: a person checks, nothing is posted again. */
  readonly manualCheck: { readonly at: Date; readonly reason: string } | null;
}

/** An incident as stored: the workflow's fields and the store's own. */
export type StoredIncident = WorkflowIncident & {
  /** `tenant:number`. */
  readonly id: string;
  readonly tenant: string;
  /** The message's key (StoredMessage.id). */
  readonly message: string;
  readonly network: string;
  readonly authorId: string;
  readonly stateLabel: string;
  readonly verdict: unknown;
  readonly revision: number;
  readonly dueStatus: 'due-soon' | 'overdue' | null;
  readonly publication: StoredPublication;
  readonly createdAt: Date;
  readonly updatedAt: Date;
};

/** The citizen's message behind an incident, as a staff card and `otklik incident show` read it. */
export interface IncidentMessage {
  readonly text: string;
  readonly authorName: string;
  readonly authorId: string;
  /** The author's page in the network (personal data: shown only with the incident). */
  readonly authorProfileUrl: string | null;
  readonly anonymous: boolean;
  readonly network: string;
  readonly url: string | null;
  readonly postedAt: Date;
  readonly attachments: readonly { readonly type: string; readonly url: string }[];
}

export interface NewIncidentInput {
  readonly tenant: string;
  readonly messageId: string;
  readonly network: string;
  readonly authorId: string;
  readonly postedAt: Date;
  readonly detectedAt: Date;
  /** As stored for Compass (classifiers' toStoredVerdict). */
  readonly verdict: unknown;
  /** What the state machine reads of it. */
  readonly classify: ClassifyVerdict;
  readonly earlier?: EarlierIncident | null;
  /** The message's text, for the inbox's preview and search. */
  readonly text?: string;
  /** A repeat of an earlier input of the same batch (its index): numbered in the same call. */
  readonly repeatOfInBatch?: number;
}

export interface CreatedIncident {
  readonly incident: StoredIncident;
  /** False when the message already had its incident (a retried classification). */
  readonly created: boolean;
  readonly decision: Decision | null;
}

/** A set of states (and optionally the publisher's hand-over to a person) listed or counted together. */
export interface InboxStateSet {
  readonly states: readonly IncidentState[];
  /** true: only answers whose delivery a person must check; false: only the others; absent: either. */
  readonly manualCheck?: boolean;
}

/** What the staff inbox asks for: a tenant's open incidents, filtered, sorted by the next term. */
export interface InboxQuery {
  readonly tenant: string;
  readonly states?: readonly IncidentState[];
  /**
   * Who may see them, for an executor (004 [1.4]): incidents any of whose departments is one
   * of these, or held by one of these people. Absent: the whole tenant. Counts apply it too.
   */
  readonly visibleTo?: { readonly departments: readonly string[]; readonly assignees: readonly string[] };
  /** The department holding it now is one of these. */
  readonly departments?: readonly string[];
  /** One of its departments (lead or co-executor) is this one. */
  readonly department?: string;
  /** The incident with this number only («№ 123» in the search box). */
  readonly number?: number;
  /** Sizes of these sets (visibility applied, filters not), by id: the queues' tabs. */
  readonly counts?: Readonly<Record<string, InboxStateSet>>;
  readonly network?: string;
  readonly topic?: string;
  readonly importance?: 'normal' | 'high';
  readonly assignee?: string;
  /** «требует внимания человека»: an answer whose delivery is uncertain. */
  readonly manualCheck?: boolean;
  readonly repeat?: boolean;
  readonly due?: 'soon' | 'overdue';
  /** Words of the message (case and ё ignored). */
  readonly text?: string;
  readonly now?: Date;
  readonly soonMs?: number;
  readonly offset?: number;
  readonly limit?: number;
}

export interface InboxRow {
  readonly id: string;
  readonly tenant: string;
  readonly number: number;
  readonly state: IncidentState;
  readonly revision: number;
  readonly nextDueAt: Date | null;
  /** The step whose term is nextDueAt. */
  readonly nextStep: Step | null;
  readonly dueStatus: string | null;
  readonly topic: string | null;
  readonly location: string | null;
  readonly network: string;
  readonly importance: string;
  readonly repeatOf: number | null;
  readonly department: string | null;
  readonly departments: readonly string[];
  readonly assignee: string | null;
  readonly detectedAt: Date;
  readonly manualCheck: boolean;
  readonly preview: string;
}

export interface InboxPage {
  /** How many match, over all pages. */
  readonly total: number;
  readonly rows: readonly InboxRow[];
  /** Per id of `InboxQuery.counts`. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface OpenIncidentFilter {
  readonly tenant?: string;
  readonly states?: readonly IncidentState[];
}

export interface IncidentRepository {
  /** One incident by its tenant number, open or archived. */
  get(tenant: string, number: number): Promise<StoredIncident | null>;
  getMany(tenant: string, numbers: readonly number[]): Promise<StoredIncident[]>;
  withMessage(tenant: string, number: number): Promise<{ incident: StoredIncident; message: IncidentMessage | null } | null>;
  /** The incidents already made of these messages, by message key. */
  byMessages(messageIds: readonly string[]): Promise<Map<string, StoredIncident>>;
  /**
   * Makes the incidents of classified messages, all of one tenant, in one batch: state
   * "triage" or "rejected" with their deadlines, numbered in order; a message that already
   * has its incident keeps it. Results in the order of the inputs.
   */
  /**
   * `checked`: the caller has just looked the messages up (byMessages) and found no incident,
   * so the store does not look again; another classifier's incident made meanwhile is still
   * refused by the message's unique key.
   */
  createMany(runtime: TenantRuntime, inputs: readonly NewIncidentInput[], now: Date, options?: { readonly checked?: boolean }): Promise<CreatedIncident[]>;
  earlier(tenant: string, number: number | null): Promise<EarlierIncident | null>;
  /**
   * Decides a command on the incident as stored and writes the decision atomically, fenced
   * by the state and revision it was decided on. Throws WorkflowError (not allowed: a
   * Russian message for staff) or ConcurrentChangeError (changed meanwhile: decide again).
   */
  apply(runtime: TenantRuntime, number: number, command: Command, actor: Actor, now: Date): Promise<{ decision: Decision; incident: StoredIncident }>;
  /**
   * Incidents waiting for their authors' clarification (001 [17]), by `network:authorId`:
   * read by key, so a new message is checked against them at no cost per stored incident.
   */
  awaitingReply(tenant: string, authors: ReadonlyArray<{ readonly network: string; readonly authorId: string }>): Promise<Map<string, number[]>>;
  /** Records that a message answered a clarification request: it is that incident's, not a new one. */
  attachReply(messageId: string, number: number): Promise<void>;
  /**
   * A page of the staff inbox, read from a small entry per open incident: 10,000 open
   * incidents are one short scan, whatever the size of the history.
   */
  inbox(query: InboxQuery): Promise<InboxPage>;
  /**
   * Numbers of the tenant's open incidents changed or closed after `since` (by any process),
   * and the instant to ask from next time (writers' clocks: one server, or NTP).
   */
  changedSince(tenant: string, since: Date): Promise<{ readonly numbers: readonly number[]; readonly latest: Date }>;
  /** Open incidents (not archived), for the watcher, `due` and the inbox: the small hot set. */
  open(filter?: OpenIncidentFilter): Promise<StoredIncident[]>;
  /** The newest archived incidents of a tenant (closed, rejected), newest first. */
  recentArchived(tenant: string, limit: number, states?: readonly IncidentState[]): Promise<StoredIncident[]>;
  /**
   * The read register (152-ФЗ; store/read-register.ts): the staff bot and the web card call
   * it on every view of a card. One upsert by `_id`.
   */
  recordRead(read: IncidentRead): Promise<void>;
  /** Who read the incident, newest first. */
  readsOf(tenant: string, number: number, limit?: number): Promise<IncidentRead[]>;
}

/** One view of an incident's card by a staff member. */
export interface IncidentRead {
  readonly tenant: string;
  readonly number: number;
  /** The staff member's code. */
  readonly who: string;
  readonly at: Date;
  readonly via: 'bot' | 'web';
  /** The author's name and profile were on the card. */
  readonly personalData: boolean;
}

// ---------------------------------------------------------------------------------------
// Personal data (issue 12 point 10; 004 [1.4], 152-ФЗ)

/** One author of one tenant, as a network names them. */
export interface AuthorRef {
  readonly tenant: string;
  readonly network: string;
  readonly authorId: string;
}

/** What is held about one author (`otklik personal-data export`). */
export interface AuthorData {
  readonly author: AuthorRef;
  readonly messages: ReadonlyArray<Record<string, unknown>>;
  readonly incidents: ReadonlyArray<Record<string, unknown>>;
  /** Who of the staff read each of the author's incidents. */
  readonly reads: readonly IncidentRead[];
}

export interface ErasureCounts {
  readonly messages: number;
  readonly incidents: number;
  readonly inboxEntries: number;
  readonly putAside: number;
}

export interface PersonalDataRepository {
  /** Days after which a tenant's raw payloads and authors' data are anonymised; null: kept. */
  retentionDays(tenant: string): Promise<number | null>;
  setRetentionDays(tenant: string, days: number | null): Promise<void>;
  exportAuthor(author: AuthorRef): Promise<AuthorData>;
  /**
   * Replaces the author's name, profile, id, message texts and raw payloads (the id by a
   * pseudonym, so figures still count one author once); incidents stay with their figures.
   */
  eraseAuthor(author: AuthorRef, now: Date): Promise<ErasureCounts>;
  /**
   * Anonymises, as eraseAuthor does, the tenant's messages fetched before `before` whose
   * incident is closed (an open one is still being worked on), at most `limit` per call;
   * and drops put-aside payloads from before it.
   */
  anonymiseBefore(tenant: string, before: Date, now: Date, limit: number): Promise<ErasureCounts & { readonly more: boolean }>;
}

// ---------------------------------------------------------------------------------------
// Work queues

export type WorkKind = 'classify' | 'publish' | 'notice' | 'job';

export interface NewWork<P = unknown> {
  readonly tenant: string;
  /** With the tenant, the item's identity in its queue: enqueueing it again is a no-op. */
  readonly ref: string;
  readonly payload?: P;
  readonly availableAt?: Date;
}

export interface Lease {
  readonly owner: string;
  /** Present in the filter of every renewal and completion (STYLE 8). */
  readonly token: string;
  readonly until: Date;
}

export interface WorkItem<P = unknown> {
  readonly id: string;
  readonly kind: WorkKind;
  readonly tenant: string;
  readonly ref: string;
  readonly payload: P;
  readonly attempts: number;
  readonly availableAt: Date;
  readonly lastError: string | null;
  readonly enqueuedAt: Date;
}

export interface ClaimedWork<P = unknown> {
  readonly item: WorkItem<P>;
  readonly lease: Lease;
}

export interface DeadLetter {
  readonly id: string;
  readonly kind: WorkKind;
  readonly tenant: string;
  readonly ref: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly buriedAt: Date;
  readonly enqueuedAt: Date;
}

export interface WorkQueue {
  enqueue<P>(kind: WorkKind, items: readonly NewWork<P>[], now: Date): Promise<number>;
  /**
   * Up to `limit` available items, oldest first, each under a fresh lease: one scan of the
   * (small) queue and one fenced write. `refs` limits it to those items (a process claims
   * only the recurring jobs it runs).
   */
  claim<P>(kind: WorkKind, owner: string, now: Date, leaseMs: number, limit: number, refs?: readonly string[]): Promise<ClaimedWork<P>[]>;
  /** Extends held leases; returns the ones still held (a lost one was taken over: stop touching it). */
  renew<P>(kind: WorkKind, held: readonly ClaimedWork<P>[], now: Date, leaseMs: number): Promise<ClaimedWork<P>[]>;
  /** Done: the items leave the queue; the count of those whose lease was still held. */
  complete(kind: WorkKind, held: readonly ClaimedWork[]): Promise<number>;
  /** Not now: back to the queue after `availableAt`, an attempt spent, the error kept. */
  retryLater(kind: WorkKind, held: ClaimedWork, availableAt: Date, error: string): Promise<boolean>;
  /** Not now and not a failure (the network asked to wait, a recurring job's next run): no attempt spent. */
  postpone(kind: WorkKind, held: ClaimedWork, availableAt: Date, note: string, payload?: unknown): Promise<boolean>;
  /** Gives up on a poison item: it moves to the dead letters that staff and `otklik work` see. */
  bury(kind: WorkKind, held: ClaimedWork, error: string, now: Date): Promise<boolean>;
  deadLetters(kind?: WorkKind): Promise<DeadLetter[]>;
  /** Puts dead letters back in their queue (attempts reset); returns how many. */
  resurrect(ids: readonly string[], now: Date): Promise<number>;
  /** Items waiting in a queue (an admin figure: it counts by scanning). */
  pending(kind: WorkKind): Promise<number>;
}

// ---------------------------------------------------------------------------------------
// Files attached to answers

export interface StoredFile {
  /** `attachment:<id>`: how a draft names it. */
  readonly ref: string;
  readonly kind: 'photo' | 'video' | 'document';
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly data: Buffer;
}

export interface AttachmentRepository {
  /** Keeps a file (once per content) and returns the `attachment:<id>` a draft names it by. */
  save(tenant: string, file: Omit<StoredFile, 'ref' | 'size'>, now: Date): Promise<string>;
  /** The file of an `attachment:<id>`; null for another kind of reference or a missing file. */
  load(ref: string): Promise<StoredFile | null>;
}

// ---------------------------------------------------------------------------------------
// Notices for staff

export interface StaffNotice {
  readonly tenant: string;
  readonly incidentNumber: number | null;
  readonly to: Recipient;
  readonly kind: string;
  /** Russian, for the staff bot. */
  readonly text: string;
  readonly createdAt: Date;
  /** A file on this server the bot sends along (the monthly report's PDF). */
  readonly attachment?: string | null;
}

export interface StoredNotice extends StaffNotice {
  readonly id: string;
  readonly deliveredAt: Date | null;
}

export interface NoticeRepository {
  /**
   * Writes a notice once per key (its id derives from the key: a step retried after a
   * crash, or run by two workers, adds nothing) and queues its delivery. True when written.
   */
  once(key: string, notice: StaffNotice): Promise<boolean>;
  get(id: string): Promise<StoredNotice | null>;
  /** Delivered: the record says when (and is written now, from `notice`, if the notice was queued without one). */
  markDelivered(id: string, at: Date, notice?: StaffNotice): Promise<void>;
  /** Notices with these keys that exist, queued or delivered (e.g. whether the head was told already). */
  existing(tenant: string, keys: readonly string[]): Promise<Set<string>>;
}

// ---------------------------------------------------------------------------------------
// Publication

export interface PublicationRepository {
  /** The connectors' record-before-call log, kept in the store so it survives a crash. */
  readonly attemptLog: PublishAttemptLog;
  enqueue(items: ReadonlyArray<{ readonly tenant: string; readonly number: number; readonly draftId: string }>, now: Date): Promise<number>;
  /** Written before the network call; returns a handle its end is written to. */
  attemptStarted(incident: StoredIncident, attempt: PublicationAttemptRecord): Promise<number>;
  attemptEnded(incident: StoredIncident, position: number, started: Pick<PublicationAttemptRecord, 'idempotencyKey' | 'startedAt'>, end: Pick<PublicationAttemptRecord, 'finishedAt' | 'outcome' | 'externalId' | 'error'>): Promise<void>;
  /** Whether it went out cannot be known: marked so nothing posts it again; a person checks. */
  handToPerson(incident: StoredIncident, reason: string, now: Date): Promise<void>;
  flagPublicInterest(tenant: string, number: number, flag: boolean): Promise<boolean>;
  /** The stored message in the connectors' shape, and the account it came through. */
  messageToAnswer(messageId: string): Promise<{ message: NormalizedMessage; account: string } | null>;
}

// ---------------------------------------------------------------------------------------
// Deadlines

export type DueStatus = 'due-soon' | 'overdue';

export interface ViolationRecord {
  readonly tenant: string;
  readonly incidentNumber: number;
  readonly step: string;
  readonly stepLabel: string;
  readonly responsible: string | null;
  readonly department: string | null;
  readonly dueAt: Date;
  readonly detectedAt: Date;
  readonly clause: string | null;
}

/** One open term that is due soon or overdue, for `/due` in the bot and `otklik due`. */
export interface DueItem {
  readonly tenant: string;
  readonly number: number;
  readonly stateLabel: string;
  readonly step: Step;
  readonly dueAt: Date;
  readonly responsible: string | null;
  readonly department: string | null;
  readonly overdue: boolean;
  readonly clause: string | null;
  /** «срок предварительный: календарь на 2027 год не загружен», or null. */
  readonly provisional: string | null;
  /** A wait for the author's reply (001 [17]), not a term of staff. */
  readonly awaitsAuthor: boolean;
}

export interface DeadlineRepository {
  /** Which of these escalation marks (`tenant:number:step:dueMs:threshold`) were made already. */
  marked(keys: readonly string[]): Promise<Set<string>>;
  /** Makes the mark once; true for the one caller that made it. */
  mark(key: string, now: Date): Promise<boolean>;
  /** The incident's due mark for Compass and staff, fenced by the revision it was judged on. */
  setDueStatus(incident: StoredIncident, to: DueStatus | null, label: string | null): Promise<boolean>;
  /** Recomputed terms (a calendar year imported), fenced by the revision they were computed on; false when it changed meanwhile. */
  revise(incident: StoredIncident, deadlines: readonly DeadlineRecord[], nextDueAt: Date | null, now: Date): Promise<boolean>;
  /** Records a missed term once; true when this call recorded it. */
  recordViolation(v: ViolationRecord): Promise<boolean>;
  violations(tenant: string, from: Date, to: Date): Promise<ViolationRecord[]>;
  /**
   * The open incidents the watcher must look at now: a term due before `horizon`, a due mark
   * to clear, an answer waiting to be published, or a provisional term to revise. Filtered by
   * the store, so a large open set is not carried to the watcher whole.
   */
  watched(horizon: Date): Promise<StoredIncident[]>;
  /** Open, unconditional terms due before `now + soonMs`, earliest first. */
  due(now: Date, soonMs: number, tenant?: string): Promise<DueItem[]>;
  /**
   * The incidents filed to be looked at in the minutes `fromMinute`..`toMinute` (minutes
   * since the epoch), read by key (store/watch-slots.ts).
   */
  filed(fromMinute: number, toMinute: number): Promise<FiledMinutes>;
  /** Open incidents by id. */
  byIds(ids: readonly string[]): Promise<StoredIncident[]>;
  /** Takes what a tick read out of its minutes. */
  unfile(read: FiledMinutes): Promise<void>;
  /** Files incidents just looked at under their next threshold. */
  refile(incidents: readonly StoredIncident[], nowMs: number): Promise<void>;
  /** Files every open incident under its first watch time (once per watcher process). */
  fileAllOpen(nowMs: number): Promise<void>;
  /** Drops the minutes up to `minute`, after a sweep. */
  dropFiledUpTo(minute: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Classifier

export interface StoredCorrection extends Correction {
  readonly incident?: string | null;
}

export interface ClassifierRepository {
  recordCorrection(tenant: string, correction: StoredCorrection): Promise<void>;
  corrections(tenant: string): Promise<Correction[]>;
  activeModel(tenant: string): Promise<ModelVersion | null>;
  saveModel(tenant: string, model: ModelVersion): Promise<void>;
  /** Retrains from all corrections and keeps the new model only if it scores no worse. */
  retrain(tenant: string, now: Date): Promise<RetrainResult>;
  /** The tenant's classifier: its model, gazetteer and dictionaries. */
  forTenant(tenant: string): Promise<Classifier>;
}

/** One batch of repeat-index entries as the classifier filed them (classifiers/repeat.ts). */
export interface RepeatLogChunk<E = unknown> {
  readonly seq: number;
  readonly at: Date;
  readonly entries: readonly E[];
}

export interface RepeatLogRepository {
  /** Appends a batch of entries to the tenant's log; returns its sequence number. */
  append<E>(tenant: string, entries: readonly E[], now: Date): Promise<number>;
  /** The newest sequence number written for the tenant (0: none). */
  head(tenant: string): Promise<number>;
  /** The chunks with these sequence numbers that exist (a crashed writer leaves a gap). */
  chunks<E>(tenant: string, seqs: readonly number[]): Promise<RepeatLogChunk<E>[]>;
}

// ---------------------------------------------------------------------------------------
// Reports and alerts

export interface ReportRepository {
  /** Records `key` for the tenant unless recorded already; true for the one caller that created it. */
  recordOnce(tenant: string, key: string, kind: string, detail: unknown, now: Date): Promise<boolean>;
  forget(tenant: string, key: string): Promise<void>;
  has(tenant: string, key: string): Promise<boolean>;
  // The monthly report's figures (003 [13]): each computed by the store over the open
  // incidents and the archive months the period can reach, merged.
  counts(tenant: string, period: Period): Promise<ReportCounts>;
  deadlines(tenant: string, period: Period): Promise<DeadlineRow[]>;
  answers(tenant: string, period: Period): Promise<AnswerRow[]>;
  rejections(tenant: string, period: Period): Promise<RejectionRow[]>;
  problems(tenant: string, period: Period, limit: number): Promise<ProblemRow[]>;
  repeats(tenant: string, period: Period, limit: number): Promise<RepeatRow[]>;
  subjects(tenant: string, numbers: readonly number[]): Promise<Map<number, { topic: string | null; location: string | null }>>;
  // Immediate alerts: from the open incidents and the activity counters the classifier keeps.
  highImportanceSince(tenant: string, since: Date): Promise<HighImportanceIncident[]>;
  countsByKey(tenant: string, key: SurgeKey, from: Date, to: Date, withNumbers: boolean): Promise<KeyCount[]>;
  countsByHourOfDay(tenant: string, from: Date, to: Date, timeZone: string): Promise<number[]>;
}

// ---------------------------------------------------------------------------------------
// The rest

export interface CalendarRepository {
  save(year: CalendarYear, now?: Date): Promise<{ year: number; outcome: 'created' | 'replaced' }>;
  years(): Promise<CalendarYear[]>;
}

export interface ConversationRepository {
  load(telegramUserId: number): Promise<import('./bot-conversations.js').Conversation>;
  chooseTenant(telegramUserId: number, tenant: string, now: Date): Promise<void>;
  setAwaiting(telegramUserId: number, awaiting: import('./bot-conversations.js').Awaiting | null, now: Date): Promise<void>;
  addAwaitedAttachment(telegramUserId: number, attachment: import('./bot-conversations.js').Attachment, now: Date): Promise<void>;
  setSelection(telegramUserId: number, key: string, selection: import('./bot-conversations.js').Selection | null, now: Date): Promise<void>;
}

export interface ConsistencyReport {
  /** Open incidents whose archive move a crash interrupted, finished now. */
  readonly archived: number;
  /** Archived incidents that a crash left in both places, removed from the hot set. */
  readonly duplicatesRemoved: number;
  readonly problems: readonly string[];
}

export interface MaintenanceRepository {
  /** Finishes what a crash interrupted between two writes (an archive move, a waiting author's entry): cheap, on every watcher tick. */
  repair(): Promise<ConsistencyReport>;
  /** repair() and also the archived copies a crash left behind: a look at every open incident, at start and in `otklik health`. */
  check(): Promise<ConsistencyReport>;
  /** Collection sizes, for health output and the README's figures. */
  counts(): Promise<Record<string, number>>;
  /**
   * A logical backup of the whole database to a gzipped file (mode 0600), readable on a live
   * system: `progress` hears each collection's count.
   */
  backup(file: string, progress?: (line: string) => void): Promise<{ collections: number; documents: number }>;
  /**
   * Restores a backup into this (empty) database after reading it through, then queues again
   * what the backup caught between intent and state, and runs the consistency check.
   */
  restore(file: string, progress?: (line: string) => void): Promise<{ collections: number; documents: number; requeuedMessages: number }>;
  /** Drops the whole database: for scratch databases (`otklik store check`, tests) only. */
  dropDatabase(): Promise<void>;
  /** The server's address as child processes of this one reach it (the contract's second process). */
  readonly uri: string;
}

export interface Store {
  /** One line for logs: which server, which database, where the data lives. */
  readonly description: string;
  readonly dbName: string;
  readonly tenants: TenantRepository;
  readonly staff: StaffDirectoryRepository;
  readonly messages: MessageRepository;
  readonly cursors: CursorRepository;
  /** The connectors' view of messages and cursors (connectors never import store/). */
  readonly ingest: IngestStore;
  readonly incidents: IncidentRepository;
  readonly work: WorkQueue;
  readonly notices: NoticeRepository;
  readonly attachments: AttachmentRepository;
  readonly publication: PublicationRepository;
  readonly deadlines: DeadlineRepository;
  readonly classifier: ClassifierRepository;
  readonly repeats: RepeatLogRepository;
  readonly reports: ReportRepository;
  readonly calendar: CalendarRepository;
  readonly conversations: ConversationRepository;
  readonly maintenance: MaintenanceRepository;
  readonly personalData: PersonalDataRepository;
  close(): Promise<void>;
}

export type { MessageAttachment, MessageAuthor, Network };
