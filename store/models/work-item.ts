import { Schema, type Connection } from 'mongoose';
import type { WorkKind } from '../port.js';
import { leaseSchema, modelOn } from './shared.js';

/**
 * One unit of pending work (classify a batch of messages, publish an answer, deliver a
 * notice, run a recurring job), in one queue collection per kind (`work.classify`, …).
 * A queue holds only what is still to do — items are deleted when done — because
 * mongo-java-server does not use non-unique indexes: a claim scans the queue, so each
 * queue must stay small however many messages and incidents the store keeps, and a backlog
 * of one kind must not slow the claims of another.
 */
const workItemSchema = new Schema(
  {
    /** `${tenant}:${ref}`: enqueueing the same work twice is a no-op. */
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    tenant: { type: String, required: true },
    /** What the work is about: a batch of messages, an incident's draft, a notice. */
    ref: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: null },
    availableAt: { type: Date, required: true },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    enqueuedAt: { type: Date, required: true },
    lease: { type: leaseSchema, default: null },
  },
  { versionKey: false, minimize: false },
);
// Renewals, completions and claims are fenced by the lease token, with exactly these keys.
workItemSchema.index({ _id: 1, 'lease.token': 1 }, { unique: true });

export const WORK_KINDS: readonly WorkKind[] = ['classify', 'publish', 'notice', 'job'];

export function workCollectionName(kind: WorkKind): string {
  return `work.${kind}`;
}

export function workItemModel(connection: Connection, kind: WorkKind) {
  return modelOn(connection, `Work_${kind}`, workItemSchema.clone().set('collection', workCollectionName(kind)));
}

/** A poison item given up on after its attempts: kept with its last error until someone retries it. */
const deadLetterSchema = new Schema(
  {
    /** `${kind}:${item id}` */
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    itemId: { type: String, required: true },
    tenant: { type: String, required: true },
    ref: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: null },
    attempts: { type: Number, required: true },
    lastError: { type: String, default: null },
    enqueuedAt: { type: Date, required: true },
    buriedAt: { type: Date, required: true },
  },
  { collection: 'work.dead', versionKey: false, minimize: false },
);

export function deadLetterModel(connection: Connection) {
  return modelOn(connection, 'DeadLetter', deadLetterSchema);
}
