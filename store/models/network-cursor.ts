import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

const networkCursorSchema = new Schema(
  {
    tenant: { type: String, required: true },
    network: { type: String, required: true },
    account: { type: String, required: true },
    /** What the network gives: VK start_from / ts, Telegram update offset, OK anchors. */
    stream: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'networkCursors', minimize: false },
);
networkCursorSchema.index({ tenant: 1, network: 1, account: 1, stream: 1 }, { unique: true });

export function networkCursorModel(connection: Connection) {
  return modelOn(connection, 'NetworkCursor', networkCursorSchema);
}
