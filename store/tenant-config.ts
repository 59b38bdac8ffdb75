import { isDeepStrictEqual } from 'node:util';
import { DateTime } from 'luxon';
import { officeHoursForFile, type AccountEntry, type DepartmentEntry, type GazetteerEntry, type KeywordListEntry, type StaffEntry, type TenantFile } from '../config/tenant-schema.js';
import type { OfficeHours } from '../workflow/office-hours.js';
import type { Db } from './db.js';
import { UnknownTenantError } from './errors.js';
import type { ImportReport, NetworkAccount, SectionReport } from './port.js';
import { departmentModel } from './models/department.js';
import { gazetteerEntryModel } from './models/gazetteer-entry.js';
import { keywordListModel } from './models/keyword-list.js';
import { staffModel } from './models/staff.js';
import { tenantModel } from './models/tenant.js';

/**
 * Imports and exports of what admins configure. Imports are idempotent: each record is
 * created, changed or left alone, and the report says which; records the file does not
 * mention are left alone too (an import never deletes).
 */
/** 000 [5], 001 [6]: absences as a curator reads them in Compass. */
const ABSENCE_LABELS: Record<string, string> = { illness: 'болезнь', leave: 'отпуск', travel: 'командировка', study: 'учёба', other: 'иное' };

function emptyReport(): SectionReport {
  return { created: [], changed: [], unchanged: [] };
}

/** Upserts one record by its key, comparing only the fields the admin file sets. */
async function upsertRecord(model: { findOne: Function; create: Function; updateOne: Function }, key: Record<string, unknown>, fields: Record<string, unknown>, label: string, report: SectionReport): Promise<void> {
  // Keys come from admin files: sanitizeFilter keeps a "$"-object there from becoming an operator.
  const existing = await (model.findOne(key).setOptions({ sanitizeFilter: true }).lean().exec() as Promise<Record<string, unknown> | null>);
  if (!existing) {
    await model.create({ ...key, ...fields });
    report.created.push(label);
    return;
  }
  const current = Object.fromEntries(Object.keys(fields).map((k) => [k, existing[k] ?? null]));
  const wanted = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ?? null]));
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(current)), JSON.parse(JSON.stringify(wanted)))) {
    report.unchanged.push(label);
    return;
  }
  await model.updateOne(key, { $set: fields }).setOptions({ sanitizeFilter: true }).exec();
  report.changed.push(label);
}

async function tenantTimeZone(db: Db, tenant: string): Promise<string> {
  const found = await tenantModel(db.connection).findOne({ name: tenant }).lean().exec();
  if (!found) throw new UnknownTenantError(tenant);
  return found.timeZone;
}

export async function importDepartments(db: Db, tenant: string, entries: readonly DepartmentEntry[]): Promise<SectionReport> {
  await tenantTimeZone(db, tenant);
  const report = emptyReport();
  for (const d of entries) await upsertRecord(departmentModel(db.connection), { tenant, code: d.code }, { name: d.name, topics: d.topics, executors: d.executors }, d.code, report);
  return report;
}

export async function importStaff(db: Db, tenant: string, entries: readonly StaffEntry[]): Promise<SectionReport> {
  const zone = await tenantTimeZone(db, tenant);
  const report = emptyReport();
  for (const s of entries) {
    const absences = s.absences?.map((a) => ({
      // A day-granular absence covers whole local days in the tenant's zone.
      from: DateTime.fromISO(a.from, { zone }).startOf('day').toJSDate(),
      to: DateTime.fromISO(a.to, { zone }).endOf('day').toJSDate(),
      reason: a.reason,
      reasonLabel: ABSENCE_LABELS[a.reason] ?? a.reason,
    }));
    await upsertRecord(
      staffModel(db.connection),
      { tenant, code: s.code },
      {
        fullName: s.fullName, roles: s.roles, department: s.department ?? null, telegramUserId: s.telegramUserId ?? null, deputy: s.deputy ?? null,
        ...(absences ? { absences } : {}),
        ...(s.active !== undefined ? { active: s.active } : {}),
      },
      s.code,
      report,
    );
  }
  return report;
}

export async function importKeywordLists(db: Db, tenant: string, entries: readonly KeywordListEntry[]): Promise<SectionReport> {
  await tenantTimeZone(db, tenant);
  const report = emptyReport();
  for (const k of entries) await upsertRecord(keywordListModel(db.connection), { tenant, name: k.name }, { keywords: k.keywords, exclude: k.exclude }, k.name, report);
  return report;
}

export async function importGazetteer(db: Db, tenant: string, entries: readonly GazetteerEntry[]): Promise<SectionReport> {
  await tenantTimeZone(db, tenant);
  const report = emptyReport();
  for (const g of entries) {
    const label = g.settlement ? `${g.kind}: ${g.name} (${g.settlement})` : `${g.kind}: ${g.name}`;
    await upsertRecord(gazetteerEntryModel(db.connection), { tenant, kind: g.kind, settlement: g.settlement, name: g.name }, { aliases: g.aliases }, label, report);
  }
  return report;
}

/** The tenant and every section its file contains, in dependency order. */
export async function importTenantFile(db: Db, file: TenantFile): Promise<ImportReport> {
  const report: ImportReport = { tenant: emptyReport() };
  await upsertRecord(
    tenantModel(db.connection),
    { name: file.name },
    { title: file.title, timeZone: file.timeZone, regulationProfile: file.regulationProfile, officeHours: file.officeHours, topics: file.topics, accounts: file.accounts },
    file.name,
    report.tenant!,
  );
  if (file.departments) report.departments = await importDepartments(db, file.name, file.departments);
  if (file.staff) report.staff = await importStaff(db, file.name, file.staff);
  if (file.keywordLists) report.keywordLists = await importKeywordLists(db, file.name, file.keywordLists);
  if (file.gazetteer) report.gazetteer = await importGazetteer(db, file.name, file.gazetteer);
  return report;
}

/** Codes already stored, for checking references of a partial import before writing. */
export async function existingCodes(db: Db, tenant: string): Promise<{ departments: Set<string>; staff: Set<string>; keywordLists: Set<string> }> {
  const [departments, staff, lists] = await Promise.all([
    departmentModel(db.connection).find({ tenant }, { code: 1 }).lean().exec(),
    staffModel(db.connection).find({ tenant }, { code: 1 }).lean().exec(),
    keywordListModel(db.connection).find({ tenant }, { name: 1 }).lean().exec(),
  ]);
  return { departments: new Set(departments.map((d) => d.code)), staff: new Set(staff.map((s) => s.code)), keywordLists: new Set(lists.map((l) => l.name)) };
}

export async function exportDepartments(db: Db, tenant: string): Promise<DepartmentEntry[]> {
  const rows = await departmentModel(db.connection).find({ tenant }).sort({ code: 1 }).lean().exec();
  return rows.map((d) => ({ code: d.code, name: d.name, topics: d.topics, executors: d.executors }));
}

export async function exportStaff(db: Db, tenant: string): Promise<StaffEntry[]> {
  const zone = await tenantTimeZone(db, tenant);
  const rows = await staffModel(db.connection).find({ tenant }).sort({ code: 1 }).lean().exec();
  return rows.map((s) => ({
    code: s.code,
    fullName: s.fullName,
    roles: s.roles as StaffEntry['roles'],
    department: s.department ?? null,
    telegramUserId: s.telegramUserId ?? null,
    deputy: s.deputy ?? null,
    absences: s.absences.map((a) => ({ from: DateTime.fromJSDate(a.from, { zone }).toISODate()!, to: DateTime.fromJSDate(a.to, { zone }).toISODate()!, reason: a.reason as NonNullable<StaffEntry['absences']>[number]['reason'] })),
    active: s.active,
  }));
}

export async function exportKeywordLists(db: Db, tenant: string): Promise<KeywordListEntry[]> {
  const rows = await keywordListModel(db.connection).find({ tenant }).sort({ name: 1 }).lean().exec();
  return rows.map((k) => ({ name: k.name, keywords: k.keywords, exclude: k.exclude }));
}

export async function exportGazetteer(db: Db, tenant: string): Promise<GazetteerEntry[]> {
  const rows = await gazetteerEntryModel(db.connection).find({ tenant }).sort({ kind: 1, settlement: 1, name: 1 }).lean().exec();
  return rows.map((g) => ({ kind: g.kind as GazetteerEntry['kind'], name: g.name, settlement: g.settlement, aliases: g.aliases }));
}

export async function exportTenantFile(db: Db, name: string): Promise<TenantFile> {
  const t = await tenantModel(db.connection).findOne({ name }).lean().exec();
  if (!t) throw new UnknownTenantError(name);
  return {
    name: t.name,
    title: t.title,
    timeZone: t.timeZone,
    regulationProfile: { id: t.regulationProfile?.id as TenantFile['regulationProfile']['id'], overrides: (t.regulationProfile?.overrides ?? {}) as TenantFile['regulationProfile']['overrides'] },
    officeHours: officeHoursForFile((t.officeHours ?? null) as OfficeHours | null) as unknown as TenantFile['officeHours'],
    topics: t.topics,
    accounts: t.accounts.map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined && v !== null))) as TenantFile['accounts'],
    departments: await exportDepartments(db, name),
    staff: await exportStaff(db, name),
    keywordLists: await exportKeywordLists(db, name),
    gazetteer: await exportGazetteer(db, name),
  };
}

export async function listTenants(db: Db): Promise<Array<{ name: string; title: string; timeZone: string; networks: string[] }>> {
  const rows = await tenantModel(db.connection).find({}).sort({ name: 1 }).lean().exec();
  return rows.map((t) => ({ name: t.name, title: t.title, timeZone: t.timeZone, networks: [...new Set(t.accounts.filter((a) => a.enabled !== false).map((a) => a.network))] }));
}

/** Every enabled account of one network across tenants, with its keywords: what a connector polls. */
export async function loadNetworkAccounts(db: Db, network: string): Promise<NetworkAccount[]> {
  const tenants = await tenantModel(db.connection).find({ 'accounts.network': network }).sort({ name: 1 }).lean().exec();
  const out: NetworkAccount[] = [];
  for (const t of tenants) {
    const lists = await keywordListModel(db.connection).find({ tenant: t.name }).lean().exec();
    for (const a of t.accounts) {
      if (a.network !== network || a.enabled === false) continue;
      const wanted = new Set(a.keywordLists);
      const keywords = [...new Set(lists.filter((l) => wanted.has(l.name)).flatMap((l) => l.keywords))];
      const account = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined && v !== null)) as AccountEntry;
      out.push({ tenant: t.name, account, keywords });
    }
  }
  return out;
}
