import { DateTime } from 'luxon';
import { resolveProfile, type ProfileOverrides } from '../workflow/profiles.js';
import { ABSENCE_LABELS } from '../workflow/routing.js';
import type { Db } from './db.js';
import { numberOrMissing, versionsOf } from './config-versions.js';
import { collection } from './db.js';
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
  // The revision moves with it, so an import read before this change does not switch over it.
  await tenantModel(db.connection).updateOne({ name: tenant }, { $set: { 'regulationProfile.id': id, 'regulationProfile.overrides': overrides }, $inc: { revision: 1 } }).exec();
  return tenantProfile(db, tenant);
}

/**
 * Adds a period of absence: routing skips the person then and gives their incidents to the
 * deputy (workflow/routing.ts). Written to the person's row of the active staff version,
 * fenced by the length of their absence list; an overlapping period is refused, since two
 * records of one absence would be counted twice in the monthly report. The tenant's
 * revision is then bumped on the condition that the staff version is still the one written
 * to: an import that read the staff before this absence cannot switch over it, and an
 * import that switched first makes this call write the absence again to the new version.
 */
export async function addAbsence(db: Db, tenant: string, code: string, input: AbsenceInput): Promise<{ from: Date; to: Date; deputy: string | null }> {
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await addAbsenceOnce(db, tenant, code, input, attempt > 1);
    if (outcome !== 'staff-switched') return outcome;
    if (attempt >= 3) throw new SettingsError(`сотрудников ${tenant} только что заменил импорт: повторите команду`);
  }
}

type StaffRow = { code: string; fullName: string; deputy?: string | null; absences: Array<{ from: Date; to: Date; reason: string }> };

async function addAbsenceOnce(db: Db, tenant: string, code: string, input: AbsenceInput, again: boolean): Promise<{ from: Date; to: Date; deputy: string | null } | 'staff-switched'> {
  const t = await tenantModel(db.connection).findOne({ name: tenant }).lean().exec();
  if (!t) throw new UnknownTenantError(tenant);
  const version = versionsOf(t as never).staff;
  const Staff = collection<StaffRow>(db, 'staff');
  const member = await Staff.findOne({ tenant, version, code });
  if (!member) throw new SettingsError(`сотрудник «${code}» не найден в ${tenant}`);
  const from = DateTime.fromISO(input.from, { zone: t.timeZone }).startOf('day');
  const to = DateTime.fromISO(input.to, { zone: t.timeZone }).endOf('day');
  if (!from.isValid) throw new SettingsError(`--from: «${input.from}» — не дата ГГГГ-ММ-ДД`);
  if (!to.isValid) throw new SettingsError(`--to: «${input.to}» — не дата ГГГГ-ММ-ДД`);
  if (to < from) throw new SettingsError('--to: дата окончания раньше даты начала');
  const deputy = input.deputy ?? member.deputy ?? null;
  if (deputy === code) throw new SettingsError('--deputy: сотрудник не может замещать сам себя');
  if (deputy !== null) {
    const d = await Staff.findOne({ tenant, version, code: deputy });
    if (!d) throw new SettingsError(`--deputy: сотрудник «${deputy}» не найден в ${tenant}`);
    const away = d.absences.find((a) => a.from <= to.toJSDate() && a.to >= from.toJSDate());
    if (away) throw new SettingsError(`--deputy: ${d.fullName} сам отсутствует ${DateTime.fromJSDate(away.from, { zone: t.timeZone }).toISODate()} — ${DateTime.fromJSDate(away.to, { zone: t.timeZone }).toISODate()}`);
  }
  const absence = { from: from.toJSDate(), to: to.toJSDate(), reason: input.reason, reasonLabel: ABSENCE_LABELS[input.reason] };
  const overlap = member.absences.find((a) => a.from <= absence.to && a.to >= absence.from);
  // Written to the version an import then replaced: the import may have copied it over.
  if (again && overlap && overlap.from.getTime() === absence.from.getTime() && overlap.to.getTime() === absence.to.getTime() && overlap.reason === absence.reason) return { from: absence.from, to: absence.to, deputy };
  if (overlap) throw new SettingsError(`у сотрудника «${code}» уже есть отсутствие, пересекающееся с ${input.from} — ${input.to}`);
  // Fenced by the list's length as read: a period added meanwhile makes this one re-checked, not doubled.
  const result = await Staff.updateOne(
    { tenant, version, code, absences: { $size: member.absences.length } },
    { $push: { absences: absence }, $set: { updatedAt: new Date(), ...(input.deputy ? { deputy: input.deputy } : {}) } },
  );
  if (result.matchedCount !== 1) throw new SettingsError(`отсутствия сотрудника «${code}» только что изменил другой администратор: повторите команду`);
  const committed = await tenantModel(db.connection).updateOne({ name: tenant, 'versions.staff': numberOrMissing(version) }, { $inc: { revision: 1 } }).exec();
  if (committed.matchedCount !== 1) return 'staff-switched';
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
