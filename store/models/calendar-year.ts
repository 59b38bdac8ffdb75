import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/**
 * One year of the production calendar an admin imported (workflow/calendar.ts CalendarYear):
 * only the dates that differ from the ordinary week. A stored year replaces the shipped
 * one of the same number.
 */
const calendarDaySchema = new Schema(
  {
    date: { type: String, required: true },
    kind: { type: String, enum: ['working', 'shortened', 'dayoff'], required: true },
    why: { type: String },
    byDecree: { type: new Schema({ wasKind: String, act: String }, { _id: false }), default: undefined },
  },
  { _id: false },
);

const calendarYearSchema = new Schema(
  {
    year: { type: Number, required: true, unique: true },
    source: { type: String, required: true },
    days: { type: [calendarDaySchema], default: [] },
    importedAt: { type: Date, required: true },
  },
  { collection: 'calendarYears', versionKey: false },
);

export function calendarYearModel(connection: Connection) {
  return modelOn(connection, 'CalendarYear', calendarYearSchema);
}
