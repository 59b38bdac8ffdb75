import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/**
 * What the reports worker has done once and must never do again: a monthly report made
 * and left for the head, an alert sent. The unique (tenant, key) index makes "first one
 * wins" atomic across worker processes: the one whose upsert inserted the record acts.
 */
const reportEventSchema = new Schema(
  {
    tenant: { type: String, required: true },
    /** "monthly:2026-10", "high:123", "surge:location:ул. Ленина:2026-10-14". */
    key: { type: String, required: true },
    kind: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** The figures behind it, for whoever reads it in Compass. */
    detail: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'reportEvents', versionKey: false, minimize: false },
);
reportEventSchema.index({ tenant: 1, key: 1 }, { unique: true });

export function reportEventModel(connection: Connection) {
  return modelOn(connection, 'ReportEvent', reportEventSchema);
}
