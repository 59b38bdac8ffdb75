import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

export const STAFF_ROLES = ['curator', 'executor', 'admin', 'head'] as const;
/** 000 [5], 001 [6]: the reasons for which a deputy stands in. */
export const ABSENCE_REASONS = ['illness', 'leave', 'travel', 'study', 'other'] as const;

const absenceSchema = new Schema(
  {
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    reason: { type: String, enum: ABSENCE_REASONS, required: true },
    /** Russian label for Compass readers: «болезнь», «отпуск», … */
    reasonLabel: { type: String, required: true },
  },
  { _id: false },
);

const staffSchema = new Schema(
  {
    tenant: { type: String, required: true },
    /** The section version this row belongs to (store/config-versions.ts): readers read the tenant's active one. */
    version: { type: Number, default: 0 },
    code: { type: String, required: true },
    fullName: { type: String, required: true },
    roles: { type: [{ type: String, enum: STAFF_ROLES }], required: true },
    department: { type: String, default: null },
    telegramUserId: { type: Number, default: null },
    deputy: { type: String, default: null },
    absences: { type: [absenceSchema], default: [] },
    active: { type: Boolean, default: true },
    /** When an import left the person out and so deactivated them (kept for the record: reports name them). */
    removedAt: { type: Date, default: null },
  },
  { collection: 'staff', timestamps: true },
);
staffSchema.index({ tenant: 1, version: 1, code: 1 }, { unique: true });
staffSchema.index({ telegramUserId: 1 });

export function staffModel(connection: Connection) {
  return modelOn(connection, 'Staff', staffSchema);
}
