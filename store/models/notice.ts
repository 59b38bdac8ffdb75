import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/** A message for staff (curator, executor, head) that the staff bot delivers once. */
const noticeSchema = new Schema(
  {
    /** Derived from the notice's key (store/notices.ts): the same notice is written once. */
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    incidentNumber: { type: Number, default: null },
    /** { role: 'curator' | 'head' } or { staff: code } */
    to: { type: Schema.Types.Mixed, required: true },
    kind: { type: String, required: true },
    text: { type: String, required: true },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
    /** A file on this server the bot sends with the text (the monthly report's PDF). */
    attachment: { type: String, default: null },
  },
  { collection: 'notices', versionKey: false },
);

export function noticeModel(connection: Connection) {
  return modelOn(connection, 'Notice', noticeSchema);
}
