import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

const departmentSchema = new Schema(
  {
    tenant: { type: String, required: true },
    /** The section version this row belongs to (store/config-versions.ts): readers read the tenant's active one. */
    version: { type: Number, default: 0 },
    /** The admin's short code, unique within the tenant (e.g. "zhkh"). */
    code: { type: String, required: true },
    name: { type: String, required: true },
    /** Topics this department usually answers: the curator's routing suggestion. */
    topics: { type: [String], default: [] },
    /** Staff codes in the order routing picks them. */
    executors: { type: [String], default: [] },
  },
  { collection: 'departments', timestamps: true },
);
departmentSchema.index({ tenant: 1, version: 1, code: 1 }, { unique: true });

export function departmentModel(connection: Connection) {
  return modelOn(connection, 'Department', departmentSchema);
}
