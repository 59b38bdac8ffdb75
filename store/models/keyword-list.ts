import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

const keywordListSchema = new Schema(
  {
    tenant: { type: String, required: true },
    /** The section version this row belongs to (store/config-versions.ts): readers read the tenant's active one. */
    version: { type: Number, default: 0 },
    /** e.g. "administration", "head", "settlements". */
    name: { type: String, required: true },
    keywords: { type: [String], default: [] },
    /** Words that cancel a match (e.g. another town with the same street name). */
    exclude: { type: [String], default: [] },
  },
  { collection: 'keywordLists', timestamps: true },
);
keywordListSchema.index({ tenant: 1, version: 1, name: 1 }, { unique: true });

export function keywordListModel(connection: Connection) {
  return modelOn(connection, 'KeywordList', keywordListSchema);
}
