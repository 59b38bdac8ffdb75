import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../models/shared.js';

const accountRefSchema = new Schema({ tenant: { type: String, required: true }, code: { type: String, required: true } }, { _id: false });

/**
 * A signed-in browser. `_id` is the SHA-256 of the cookie's token, so a copy of this
 * collection signs nobody in; every lookup is by `_id`. Expired sessions are deleted on a
 * timer (no TTL indexes: the embedded server has none).
 */
const webSessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    accounts: { type: [accountRefSchema], default: [] },
    current: { type: accountRefSchema, default: null },
    csrfToken: { type: String, required: true },
    /** password | telegram */
    via: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'webSessions', minimize: false, versionKey: false },
);

export function webSessionModel(connection: Connection) {
  return modelOn(connection, 'WebSession', webSessionSchema);
}
