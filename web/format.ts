import { DateTime } from 'luxon';
import type { Importance } from '../workflow/profiles.js';

/** Every time staff read is in the tenant's zone (DESIGN: tenant time zone). */
export function localTime(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).setLocale('ru').toFormat('dd.MM.yyyy HH:mm');
}

/** The value of an <input type="datetime-local"> in the tenant's zone. */
export function localInput(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** An <input type="date"> or "datetime-local" value read in the tenant's zone; null if not a date. */
export function fromLocalInput(value: string, timeZone: string, endOfDay = false): Date | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const dt = DateTime.fromISO(trimmed, { zone: timeZone });
  if (!dt.isValid) return null;
  // A bare date promises the whole day: the end of it.
  return (endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? dt.endOf('day') : dt).toJSDate();
}

/** Beside Network and checked against it, so no network is left out of the inbox's labels and its filter. */
export { NETWORK_LABELS } from '../connectors/types.js';

export const IMPORTANCE_LABELS: Readonly<Record<Importance, string>> = { normal: 'обычная', high: 'повышенная' };

export function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}
