import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

const keywordListSchema = new Schema(
  {
    tenant: { type: String, required: true },
    /** e.g. "administration", "head", "settlements". */
    name: { type: String, required: true },
    keywords: { type: [String], default: [] },
    /** Words that cancel a match (e.g. another town with the same street name). */
    exclude: { type: [String], default: [] },
  },
  { collection: 'keywordLists', timestamps: true },
);
keywordListSchema.index({ tenant: 1, name: 1 }, { unique: true });

export function keywordListModel(connection: Connection) {
  return modelOn(connection, 'KeywordList', keywordListSchema);
}
