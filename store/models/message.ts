import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

const messageSchema = new Schema(
  {
    /** `tenant:network:externalId` (store/ids.ts messageKey): the same item fetched twice is stored once. */
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    network: { type: String, enum: ['vk', 'ok', 'telegram', 'max'], required: true },
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
  },
  { collection: 'messages', minimize: false, versionKey: false },
);

export function messageModel(connection: Connection) {
  return modelOn(connection, 'Message', messageSchema);
}
