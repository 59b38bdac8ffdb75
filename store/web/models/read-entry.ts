import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../models/shared.js';

/**
 * The read register (152-ФЗ; issue 12 point 10): every view of an incident card by a
 * staff member — who, when, which incident, and whether the author's data was shown.
 * Append-only; read by the exact {tenant, number} index.
 */
const readEntrySchema = new Schema(
  {
    tenant: { type: String, required: true },
    number: { type: Number, required: true },
    who: { type: String, required: true },
    at: { type: Date, required: true },
    personalData: { type: Boolean, required: true },
  },
  { collection: 'readRegister', versionKey: false },
);
readEntrySchema.index({ tenant: 1, number: 1 });

export function readEntryModel(connection: Connection) {
  return modelOn(connection, 'ReadEntry', readEntrySchema);
}
