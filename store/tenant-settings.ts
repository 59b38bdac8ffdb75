import { DateTime } from 'luxon';
import { resolveProfile, type ProfileOverrides, type RegulationProfile } from '../workflow/profiles.js';
import { ABSENCE_LABELS, type AbsenceReason } from '../workflow/routing.js';
import type { Db } from './db.js';
import { staffModel } from './models/staff.js';
import { tenantModel } from './models/tenant.js';
import { SettingsError, UnknownTenantError } from './errors.js';
import type { AbsenceInput, TenantProfile } from './port.js';
import type { TenantRegulation } from '../workflow/deadline-request.js';

export async function tenantProfile(db: Db, tenant: string): Promise<TenantProfile> {
  const t = await tenantModel(db.connection).findOne({ name: tenant }).lean().exec();
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
export async function setProfileOverrides(db: Db, tenant: string, overrides: ProfileOverrides, presetId?: string): Promise<TenantProfile> {
  const current = await tenantProfile(db, tenant);
  const id = presetId ?? current.presetId;
  resolveProfile(id, { overrides });
  await tenantModel(db.connection).updateOne({ name: tenant }, { $set: { 'regulationProfile.id': id, 'regulationProfile.overrides': overrides } }).exec();
  return tenantProfile(db, tenant);
}

/**
 * Adds a period of absence: routing skips the person then and gives their incidents to the
 * deputy (workflow/routing.ts). One atomic update; an overlapping period is refused, since
 * two records of one absence would be counted twice in the monthly report.
 */
export async function addAbsence(db: Db, tenant: string, code: string, input: AbsenceInput): Promise<{ from: Date; to: Date; deputy: string | null }> {
  const t = await tenantModel(db.connection).findOne({ name: tenant }).lean().exec();
  if (!t) throw new UnknownTenantError(tenant);
  const Staff = staffModel(db.connection);
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

/** What `otklik deadline` needs of a stored tenant: its preset, overrides, office hours and zone. */
export async function tenantRegulation(db: Db, name: string): Promise<TenantRegulation | undefined> {
  const doc = await tenantModel(db.connection).findOne({ name }).lean();
  if (!doc) return undefined;
  return {
    name: doc.name,
    regulationProfile: { id: doc.regulationProfile?.id ?? '', overrides: doc.regulationProfile?.overrides ?? {} },
    officeHours: (doc.officeHours ?? null) as TenantRegulation['officeHours'],
    timeZone: doc.timeZone,
  };
}
