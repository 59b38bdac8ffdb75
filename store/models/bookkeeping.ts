import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/**
 * Small collections keyed by what is looked up, so that the hot paths read by `_id` only.
 */

/** An escalation threshold of one term, notified once (`tenant:number:step:dueMs:threshold`). */
const termMarkSchema = new Schema(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'termMarks', versionKey: false },
);
export function termMarkModel(connection: Connection) {
  return modelOn(connection, 'TermMark', termMarkSchema);
}

/**
 * Open incidents the deadline watcher is to look at in a minute (`m:<minute>:<seq>`, with
 * `ids`), and each minute's counter (`n:<minute>`, with `n`); store/watch-slots.ts.
 */
const watchSlotSchema = new Schema(
  { _id: { type: String, required: true }, minute: { type: Number, required: true }, ids: { type: [String], default: undefined }, n: { type: Number } },
  { collection: 'watchSlots', versionKey: false },
);
export function watchSlotModel(connection: Connection) {
  return modelOn(connection, 'WatchSlot', watchSlotSchema);
}

/** The first incident number a tenant gave in a month (`tenant:YYYY-MM`): which archive holds a number. */
const numberMonthSchema = new Schema(
  { _id: { type: String, required: true }, tenant: { type: String, required: true }, month: { type: String, required: true }, first: { type: Number, required: true } },
  { collection: 'numberMonths', versionKey: false },
);
export function numberMonthModel(connection: Connection) {
  return modelOn(connection, 'NumberMonth', numberMonthSchema);
}

/** One classifier batch of repeat-index entries (`tenant:seq`), read back by every classifier process. */
const repeatLogSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    entries: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'repeatLog', versionKey: false, minimize: false },
);
export function repeatLogModel(connection: Connection) {
  return modelOn(connection, 'RepeatLog', repeatLogSchema);
}

/**
 * Messages per tenant and UTC hour (`tenant:YYYY-MM-DDTHH`), counted as the classifier
 * stores incidents: the surge alerts' baseline without scanning 28 days of incidents.
 * Field names are topic and place names with "." and "$" escaped (store/activity.ts).
 */
const activitySchema = new Schema(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    hour: { type: Date, required: true },
    total: { type: Number, default: 0 },
    topics: { type: Schema.Types.Mixed, default: {} },
    locations: { type: Schema.Types.Mixed, default: {} },
    numbers: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'activity', versionKey: false, minimize: false },
);
export function activityModel(connection: Connection) {
  return modelOn(connection, 'Activity', activitySchema);
}

/** The staff inbox's small entry per open incident (store/inbox.ts). */
const inboxSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    number: { type: Number, required: true },
    state: { type: String, required: true },
    revision: { type: Number, required: true },
  },
  { collection: 'inbox', versionKey: false, strict: false },
);
// The compare-and-set on the revision names exactly these keys.
inboxSchema.index({ _id: 1, revision: 1 }, { unique: true });
export function inboxModel(connection: Connection) {
  return modelOn(connection, 'Inbox', inboxSchema);
}
