import fs from 'node:fs';
import type { Command } from 'commander';
import { SHIPPED_CALENDAR, calendarYearSchema, type ProductionCalendar } from '../../workflow/calendar.js';
import { CalendarXmlError, parseCalendarXml } from '../../workflow/calendar-xml.js';
import type { Store } from '../../store/port.js';
import { CliError } from '../cli-error.js';
import { withStore } from '../with-store.js';

/** The shipped calendar with the admin's imported years over it. */
export async function storedCalendar(store: Store): Promise<ProductionCalendar> {
  return SHIPPED_CALENDAR.with(await store.calendar.years());
}

export function register(program: Command): void {
  const calendar = program.command('calendar').description('the production calendar: list a year, import a year (xmlcalendar.ru XML)');

  calendar
    .command('days')
    .argument('<year>', 'e.g. 2026')
    .option('--offline', 'only the calendar shipped with this release (2019–2026), without the store')
    .description('one JSON line per date: {"date":"2026-03-09","kind":"dayoff"}, kind working | shortened | dayoff')
    .action(async (yearText: string, options: { offline?: boolean }) => {
      if (!/^\d{4}$/.test(yearText)) throw new CliError(`year: expected YYYY, got "${yearText}"`);
      const year = Number(yearText);
      const print = (cal: ProductionCalendar): void => {
        if (!cal.hasYear(year))
          throw new CliError(`year: the production calendar has no data for ${year} (known: ${cal.years().join(', ')}); import it with "otklik calendar import FILE"`);
        process.stdout.write(cal.daysOf(year).map((d) => JSON.stringify(d)).join('\n') + '\n');
      };
      if (options.offline) print(SHIPPED_CALENDAR);
      else await withStore(async (store) => print(await storedCalendar(store)));
    });

  calendar
    .command('import')
    .argument('<file>', 'one year in the xmlcalendar.ru format: <calendar year="2027"><days><day d="01.01" t="1"/>…')
    .description('check a year of the production calendar and store it; a stored year replaces the shipped one')
    .action(async (file: string) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(`${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
      }
      let year;
      try {
        year = calendarYearSchema.parse(parseCalendarXml(text, file));
      } catch (error) {
        if (error instanceof CalendarXmlError) throw new CliError(error.message);
        throw error;
      }
      const counts = { dayoff: 0, shortened: 0, working: 0 };
      for (const d of year.days) counts[d.kind]++;
      await withStore(async (store) => {
        const report = await store.calendar.save(year);
        const shipped = SHIPPED_CALENDAR.hasYear(year.year) ? '; it replaces the year shipped with the release' : '';
        console.log(
          `${year.year}: ${report.outcome === 'created' ? 'stored' : 'replaced the stored year'} — ` +
            `${counts.dayoff} days off, ${counts.shortened} shortened, ${counts.working} working weekend days listed${shipped}`,
        );
      });
    });
}
