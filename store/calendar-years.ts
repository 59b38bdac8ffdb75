// Production-calendar years imported by an admin. The shipped years live in
// workflow/calendar-data; these add or replace years without a release.
import type { CalendarYear } from '../workflow/calendar.js';
import type { Db } from './db.js';
import { calendarYearModel } from './models/calendar-year.js';

export interface SaveReport {
  year: number;
  /** "created" for a new year, "replaced" when a stored one was overwritten. */
  outcome: 'created' | 'replaced';
}

export async function saveCalendarYear(db: Db, year: CalendarYear, now = new Date()): Promise<SaveReport> {
  const model = calendarYearModel(db.connection);
  const before = await model
    .findOneAndUpdate(
      { year: year.year },
      { $set: { source: year.source, days: year.days, importedAt: now } },
      { upsert: true, new: false },
    )
    .lean();
  return { year: year.year, outcome: before ? 'replaced' : 'created' };
}

export async function loadCalendarYears(db: Db): Promise<CalendarYear[]> {
  const docs = await calendarYearModel(db.connection).find({}).sort({ year: 1 }).lean();
  return docs.map((d) => ({
    year: d.year,
    source: d.source,
    days: d.days.map((day) => ({
      date: day.date,
      kind: day.kind as CalendarYear['days'][number]['kind'],
      ...(day.why ? { why: day.why } : {}),
      ...(day.byDecree?.wasKind && day.byDecree.act
        ? { byDecree: { wasKind: day.byDecree.wasKind as 'working' | 'shortened', act: day.byDecree.act } }
        : {}),
    })),
  }));
}
