import { Schema, type Connection } from 'mongoose';
import { historyEntrySchema, modelOn } from './shared.js';

const draftSchema = new Schema(
  {
    id: { type: String, required: true },
    /** answer | interim | clarification | explanation */
    kind: { type: String, required: true },
    text: { type: String, required: true },
    attachments: { type: [{ _id: false, type: { type: String }, url: String }], default: [] },
    author: { type: String, required: true },
    submittedAt: { type: Date, required: true },
    findings: { type: [String], default: [] },
    reviewedBy: { type: String, default: null },
    reviewedAt: { type: Date, default: null },
    reviewComment: { type: String, default: null },
    /** approved | returned | edited */
    decision: { type: String, default: null },
    /** The date an interim answer promised the final one by (001 [15]). */
    promisedBy: { type: Date, default: null },
    /** Why an explanation instead of an answer (004 [3.7]). */
    ground: { type: String, default: null },
  },
  { _id: false },
);

const deadlineSchema = new Schema(
  {
    step: { type: String, required: true },
    dueAt: { type: Date, required: true },
    /** Who answers for it, for the monthly report (000 [17], 003 [12]). */
    responsible: { type: String, default: null },
    metAt: { type: Date, default: null },
    /** Escalation thresholds already notified, so none repeats. */
    notified: { type: [String], default: [] },
    /** Applies only if the step happens (a return, a clarification): never overdue. */
    conditional: { type: Boolean, default: false },
    clause: { type: String, default: null },
    /** { years, note, from }: computed on a year whose production calendar is not loaded (Labour Code holidays only). */
    provisional: { type: Schema.Types.Mixed, default: null },
    /** The wait for the author's clarification (001 [17]): reminds the curator, never a violation. */
    awaitsAuthor: { type: Boolean, default: false },
  },
  { _id: false },
);

const publicationAttemptSchema = new Schema(
  {
    draftId: { type: String, required: true },
    channel: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    outcome: { type: String, default: null },
    externalId: { type: String, default: null },
    error: { type: Schema.Types.Mixed, default: null },
  },
  { _id: false },
);

const incidentSchema = new Schema(
  {
    /** `tenant:number` (store/ids.ts incidentKey): how every hot path finds it. */
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    /** Sequential within the tenant: what staff say ("обращение № 123"). */
    number: { type: Number, required: true },
    /** The message's key (`tenant:network:externalId`). */
    message: { type: String, required: true },
    /** The month its number was given in ("YYYY-MM", UTC): the archive collection it moves to when closed. */
    archiveMonth: { type: String, required: true },
    network: { type: String, required: true },
    authorId: { type: String, required: true },
    /** State code for programs; stateLabel is the same in Russian for Compass. */
    state: { type: String, required: true },
    stateLabel: { type: String, required: true },
    verdict: { type: Schema.Types.Mixed, default: null },
    topic: { type: String, default: null },
    location: { type: String, default: null },
    importance: { type: String, enum: ['normal', 'high'], default: 'normal' },
    repeatOf: { type: Number, default: null },
    departments: { type: [String], default: [] },
    assignee: { type: String, default: null },
    drafts: { type: [draftSchema], default: [] },
    deadlines: { type: [deadlineSchema], default: [] },
    /** The earliest open due time: what the deadline watcher scans by. */
    nextDueAt: { type: Date, default: null },
    /** Set by the deadline watcher: 'due-soon' | 'overdue' | null, with dueStatusLabel in Russian for Compass. */
    dueStatus: { type: String, default: null },
    dueStatusLabel: { type: String, default: null },
    publication: {
      attempts: { type: [publicationAttemptSchema], default: [] },
      outcome: { type: String, default: null },
      outcomeLabel: { type: String, default: null },
      /** 004 [3.5]: of interest to everyone; the curator is reminded to post it on the official pages and site. */
      publicInterest: { type: Boolean, default: false },
      /** { at, reason }: the publisher could not tell whether the answer went out; a person checks, nothing is posted again. */
      manualCheck: { type: Schema.Types.Mixed, default: null },
    },
    history: { type: [historyEntrySchema], default: [] },
    detectedAt: { type: Date, required: true },
    /** When the author posted it: 004 [3.1], [3.7] count from posting. */
    postedAt: { type: Date, default: null },
    /** Which of `departments` holds it now (001 [21]). */
    departmentIndex: { type: Number, default: 0 },
    /** A curator's rejection (the classifier's is in `verdict`). */
    rejection: { type: Schema.Types.Mixed, default: null },
    /** 004 [3.8]: converted to a formal appeal with the author's consent. */
    appeal: { type: Schema.Types.Mixed, default: null },
    /** Bumped by every change: the fence for changes that keep the state (reassign, link-repeat). */
    revision: { type: Number, default: 0 },
  },
  { collection: 'incidents', timestamps: true, minimize: false, versionKey: false },
);
// A retried classification finds the incident its message already has.
incidentSchema.index({ message: 1 }, { unique: true });
// The fence of every change, with exactly its keys: mongo-java-server uses an index only
// for a filter on exactly the keys of a unique one, and a change that scanned took 1.4 s
// at 10,000 incidents and 6.2 s at 100,000; through this index 0.9 ms at 100,000.
incidentSchema.index({ _id: 1, state: 1, revision: 1 }, { unique: true });

export { incidentSchema };

export function incidentModel(connection: Connection) {
  return modelOn(connection, 'Incident', incidentSchema);
}
