import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../models/shared.js';

const accountRefSchema = new Schema({ tenant: { type: String, required: true }, code: { type: String, required: true } }, { _id: false });

/**
 * A password for the workplace, set by `otklik staff password`: `_id` is the login
 * (lower case); the hash is scrypt with a per-login salt (web/passwords.ts); `accounts`
 * are the registrations it opens (one person in several tenants has one login).
 */
const webCredentialSchema = new Schema(
  {
    _id: { type: String, required: true },
    passwordHash: { type: String, required: true },
    accounts: { type: [accountRefSchema], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'webCredentials', versionKey: false },
);

export function webCredentialModel(connection: Connection) {
  return modelOn(connection, 'WebCredential', webCredentialSchema);
}
