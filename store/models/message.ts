import { Schema, type Connection } from 'mongoose';
import { leaseSchema, modelOn } from './shared.js';

const messageSchema = new Schema(
  {
    tenant: { type: String, required: true },
    network: { type: String, enum: ['vk', 'ok', 'telegram'], required: true },
    /** The tenant's account name the message came through ('' when the connector did not say). */
    account: { type: String, default: '' },
    externalId: { type: String, required: true },
    kind: { type: String, enum: ['comment', 'private', 'mention'], required: true },
    place: { type: Schema.Types.Mixed, required: true },
    author: {
      id: { type: String, required: true },
      name: { type: String, default: '' },
      profileUrl: { type: String },
      anonymous: { type: Boolean, default: false },
    },
    text: { type: String, default: '' },
    attachments: { type: [{ _id: false, type: { type: String }, url: String }], default: [] },
    createdAt: { type: Date, required: true },
    fetchedAt: { type: Date, required: true },
    matchedKeywords: { type: [String], default: [] },
    /** The API's payload, with "$" and "." in keys escaped (store/sanitize.ts). */
    raw: { type: Schema.Types.Mixed },
    /** Set once the classifier worker has made an incident (or a rejection) of it. */
    classifiedAt: { type: Date, default: null },
    lease: { type: leaseSchema, default: null },
  },
  { collection: 'messages', minimize: false },
);
// Ingest's idempotency: the same item fetched twice is stored once.
messageSchema.index({ tenant: 1, network: 1, externalId: 1 }, { unique: true });
messageSchema.index({ tenant: 1, 'author.id': 1, createdAt: -1 });

export function messageModel(connection: Connection) {
  return modelOn(connection, 'Message', messageSchema);
}
