import { DateTime } from 'luxon';
import { resolveProfile, type ProfileOverrides, type RegulationProfile } from '../workflow/profiles.js';
import { ABSENCE_LABELS, type AbsenceReason } from '../workflow/routing.js';
import type { Store } from './connection.js';
import { staffModel } from './models/staff.js';
import { tenantModel } from './models/tenant.js';
import { UnknownTenantError } from './tenant-config.js';

/** What `otklik profile` and `otklik staff absence` change in a tenant's settings. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly retryable = false;
}

export interface TenantProfile {
  readonly presetId: string;
  readonly overrides: unknown;
  readonly profile: RegulationProfile;
}

export async function tenantProfile(store: Store, tenant: string): Promise<TenantProfile> {
  const t = await tenantModel(store.connection).findOne({ name: tenant }).lean().exec();
  if (!t) throw new UnknownTenantError(tenant);
  const presetId = t.regulationProfile?.id ?? '';
  const overrides = t.regulationProfile?.overrides ?? {};
  return {
    presetId, overrides,
    profile: resolveProfile(presetId, { overrides, ...(t.officeHours ? { officeHours: t.officeHours } : {}), timeZone: t.timeZone }),
  };
}

/**
 * Replaces the tenant's overrides (and, if given, its preset). The result is resolved
 * before it is written, so a profile the deadline code would refuse is never stored.
 */
export async function setProfileOverrides(store: Store, tenant: string, overrides: ProfileOverrides, presetId?: string): Promise<TenantProfile> {
  const current = await tenantProfile(store, tenant);
  const id = presetId ?? current.presetId;
  resolveProfile(id, { overrides });
  await tenantModel(store.connection).updateOne({ name: tenant }, { $set: { 'regulationProfile.id': id, 'regulationProfile.overrides': overrides } }).exec();
  return tenantProfile(store, tenant);
}

export interface AbsenceInput {
  /** Local days in the tenant's zone, YYYY-MM-DD, both included. */
  readonly from: string;
  readonly to: string;
  readonly reason: AbsenceReason;
  /** A new deputy for the person (000 [5], 001 [6]); else the one on record stands in. */
  readonly deputy?: string;
}

/**
 * Adds a period of absence: routing skips the person then and gives their incidents to the
 * deputy (workflow/routing.ts). One atomic update; an overlapping period is refused, since
 * two records of one absence would be counted twice in the monthly report.
 */
export async function addAbsence(store: Store, tenant: string, code: string, input: AbsenceInput): Promise<{ from: Date; to: Date; deputy: string | null }> {
  const t = await tenantModel(store.connection).findOne({ name: tenant }).lean().exec();
  if (!t) throw new UnknownTenantError(tenant);
  const Staff = staffModel(store.connection);
  const member = await Staff.findOne({ tenant, code }).lean().exec();
  if (!member) throw new SettingsError(`сотрудник «${code}» не найден в ${tenant}`);
  const from = DateTime.fromISO(input.from, { zone: t.timeZone }).startOf('day');
  const to = DateTime.fromISO(input.to, { zone: t.timeZone }).endOf('day');
  if (!from.isValid) throw new SettingsError(`--from: «${input.from}» — не дата ГГГГ-ММ-ДД`);
  if (!to.isValid) throw new SettingsError(`--to: «${input.to}» — не дата ГГГГ-ММ-ДД`);
  if (to < from) throw new SettingsError('--to: дата окончания раньше даты начала');
  const deputy = input.deputy ?? member.deputy ?? null;
  if (deputy === code) throw new SettingsError('--deputy: сотрудник не может замещать сам себя');
  if (deputy !== null) {
    const d = await Staff.findOne({ tenant, code: deputy }).lean().exec();
    if (!d) throw new SettingsError(`--deputy: сотрудник «${deputy}» не найден в ${tenant}`);
    const away = d.absences.find((a) => a.from <= to.toJSDate() && a.to >= from.toJSDate());
    if (away) throw new SettingsError(`--deputy: ${d.fullName} сам отсутствует ${DateTime.fromJSDate(away.from, { zone: t.timeZone }).toISODate()} — ${DateTime.fromJSDate(away.to, { zone: t.timeZone }).toISODate()}`);
  }
  const absence = { from: from.toJSDate(), to: to.toJSDate(), reason: input.reason, reasonLabel: ABSENCE_LABELS[input.reason] };
  const overlap = member.absences.find((a) => a.from <= absence.to && a.to >= absence.from);
  if (overlap) throw new SettingsError(`у сотрудника «${code}» уже есть отсутствие, пересекающееся с ${input.from} — ${input.to}`);
  // Fenced by the list's length as read: a period added meanwhile makes this one re-checked, not doubled.
  const result = await Staff.updateOne(
    { tenant, code, absences: { $size: member.absences.length } },
    { $push: { absences: absence }, ...(input.deputy ? { $set: { deputy: input.deputy } } : {}) },
  ).exec();
  if (result.matchedCount !== 1) throw new SettingsError(`отсутствия сотрудника «${code}» только что изменил другой администратор: повторите команду`);
  return { from: absence.from, to: absence.to, deputy };
}
