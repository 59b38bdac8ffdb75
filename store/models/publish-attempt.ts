import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/**
 * A publish attempt recorded before the network call (record-before-call): after a
 * crash, its presence says an answer may already have gone out, so the connector checks
 * before posting again. Telegram and OK have no idempotency key of their own.
 */
const publishAttemptSchema = new Schema(
  {
    /** `${answerId}|${target}` */
    _id: { type: String, required: true },
    answerId: { type: String, required: true },
    network: { type: String, required: true },
    target: { type: String, required: true },
    startedAt: { type: Date, required: true },
    externalId: { type: String, default: null },
    completedAt: { type: Date, default: null },
  },
  { collection: 'publishAttempts', versionKey: false },
);
// An attempt that failed is withdrawn only while it has no external id: the filter's exact keys.
publishAttemptSchema.index({ _id: 1, externalId: 1 }, { unique: true });

export function publishAttemptModel(connection: Connection) {
  return modelOn(connection, 'PublishAttempt', publishAttemptSchema);
}
