import { Schema, type Connection } from 'mongoose';
import { leaseSchema, modelOn } from './shared.js';

/**
 * One unit of pending work (classify a message, publish an answer, …). The queue holds
 * only what is still to do — items are deleted when done — because mongo-java-server
 * does not use non-unique indexes: claims scan the candidates, so the claimable set must
 * stay small however many messages and incidents the store keeps.
 */
const workItemSchema = new Schema(
  {
    /** `${kind}:${tenant}:${ref}`: enqueueing the same work twice is a no-op. */
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    tenant: { type: String, required: true },
    /** What the work is about: a message's or an incident's id. */
    ref: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: null },
    availableAt: { type: Date, required: true },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    enqueuedAt: { type: Date, required: true },
    lease: { type: leaseSchema, default: null },
  },
  { collection: 'workItems', versionKey: false, minimize: false },
);

export function workItemModel(connection: Connection) {
  return modelOn(connection, 'WorkItem', workItemSchema);
}
