import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

export const GAZETTEER_KINDS = ['settlement', 'district', 'street', 'landmark'] as const;

const gazetteerEntrySchema = new Schema(
  {
    tenant: { type: String, required: true },
    /** The section version this row belongs to (store/config-versions.ts): readers read the tenant's active one. */
    version: { type: Number, default: 0 },
    kind: { type: String, enum: GAZETTEER_KINDS, required: true },
    name: { type: String, required: true },
    /** The settlement a street or landmark belongs to; empty for settlements. */
    settlement: { type: String, default: '' },
    aliases: { type: [String], default: [] },
  },
  { collection: 'gazetteer', timestamps: true },
);
gazetteerEntrySchema.index({ tenant: 1, version: 1, kind: 1, settlement: 1, name: 1 }, { unique: true });

export function gazetteerEntryModel(connection: Connection) {
  return modelOn(connection, 'GazetteerEntry', gazetteerEntrySchema);
}
