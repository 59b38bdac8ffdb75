// How far the loaded production calendar reaches, and what admins and staff are told when it
// runs out. Pure: the caller passes `now` and the calendar (shipped years plus imported ones).
import { DateTime } from 'luxon';
import type { ProductionCalendar } from './calendar.js';

/** Warn admins this many days before the last loaded year ends (issue 12). */
export const CALENDAR_WARN_DAYS = 60;

/** The admin's one-liner for a year, from xmlcalendar.ru (the format calendar-xml.ts reads). */
export function calendarImportCommand(year: number): string {
  return `curl -fsSL https://xmlcalendar.ru/data/ru/${year}/calendar.xml -o ${year}.xml && ./bin/otklik calendar import ${year}.xml`;
}

/** «срок предварительный: календарь на 2027 год не загружен» — shown beside a provisional due time. */
export function provisionalNote(years: readonly number[]): string {
  const which = years.length === 1 ? `${years[0]} год` : `${years.join(', ')} годы`;
  return `срок предварительный: календарь на ${which} не загружен`;
}

export interface CalendarCoverage {
  /** The last year loaded without a gap from the current one; null when none is (the current year is provisional and nothing before it is loaded). */
  readonly lastKnownYear: number | null;
  /** 31 December of that year, YYYY-MM-DD. */
  readonly endsOn: string | null;
  /** Calendar days from today (local) to `endsOn`: 0 on the last day, negative once it has passed. */
  readonly daysLeft: number | null;
  /** The first year that would be provisional: the one to import. */
  readonly nextYear: number;
  /** Due times are being computed on the Labour Code alone right now. */
  readonly provisionalNow: boolean;
  /** Within CALENDAR_WARN_DAYS of the end, or past it. */
  readonly warn: boolean;
  /** Russian, for admins (log, staff bot, health command); null when there is nothing to say. */
  readonly warning: string | null;
  readonly importCommand: string;
}

function days(n: number): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'день' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'дня' : 'дней';
  return `${n} ${word}`;
}

const ru = (date: string): string => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

const WHAT_PROVISIONAL = 'сроки считаются предварительно — только по праздникам ст. 112 ТК РФ, без переносов выходных по постановлению Правительства';

/**
 * How long the loaded calendar lasts from `now` in the tenant's zone. A year imported
 * beyond a gap does not count: the gap year itself would be provisional.
 */
export function calendarCoverage(now: Date, calendar: ProductionCalendar, timeZone = 'Europe/Moscow'): CalendarCoverage {
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  if (!today.isValid) throw new RangeError(`unknown IANA time zone "${timeZone}"`);
  const todayDate = today.toISODate() ?? '';
  const currentYear = today.year;
  let last: number | null = null;
  if (calendar.hasYear(currentYear)) {
    last = currentYear;
    while (calendar.hasYear(last + 1)) last++;
  } else {
    last = calendar.years().filter((y) => y < currentYear).at(-1) ?? null;
  }
  const nextYear = last === null ? currentYear : last + 1;
  const importCommand = calendarImportCommand(nextYear);
  if (last === null) {
    return {
      lastKnownYear: null, endsOn: null, daysLeft: null, nextYear, provisionalNow: calendar.isProvisional(currentYear), warn: true,
      warning: `Производственный календарь на ${currentYear} год не загружен: ${WHAT_PROVISIONAL}. Загрузите его: ${importCommand}`,
      importCommand,
    };
  }
  const endsOn = `${last}-12-31`;
  const daysLeft = Math.round(DateTime.fromISO(endsOn, { zone: 'UTC' }).diff(DateTime.fromISO(todayDate, { zone: 'UTC' }), 'days').days);
  const provisionalNow = daysLeft < 0;
  const warn = daysLeft <= CALENDAR_WARN_DAYS;
  let warning: string | null = null;
  if (provisionalNow) {
    warning = `Производственный календарь на ${nextYear} год не загружен: ${WHAT_PROVISIONAL}; каждый такой срок помечен «срок предварительный». Загрузите календарь: ${importCommand}`;
  } else if (warn) {
    const when = daysLeft === 0 ? 'сегодня последний день' : `осталось ${days(daysLeft)}`;
    warning = `Производственный календарь загружен по ${last} год (до ${ru(endsOn)}, ${when}). Сроки, заходящие в ${nextYear} год, уже ${WHAT_PROVISIONAL.replace('сроки считаются', 'считаются')}. Загрузите календарь на ${nextYear} год: ${importCommand}`;
  }
  return { lastKnownYear: last, endsOn, daysLeft, nextYear, provisionalNow, warn, warning, importCommand };
}
