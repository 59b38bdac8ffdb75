import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../models/shared.js';

/**
 * A one-time sign-in link the staff bot sent (`/login`). `_id` is the SHA-256 of the
 * token in the link; using it deletes it (findOneAndDelete by `_id`: atomic, once).
 */
const webSignInTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    telegramUserId: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'webSignInTokens', versionKey: false },
);

export function webSignInTokenModel(connection: Connection) {
  return modelOn(connection, 'WebSignInToken', webSignInTokenSchema);
}
