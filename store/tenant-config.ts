import { isDeepStrictEqual } from 'node:util';
import { DateTime } from 'luxon';
import { officeHoursForFile, type AccountEntry, type DepartmentEntry, type GazetteerEntry, type KeywordListEntry, type StaffEntry, type TenantFile } from '../config/tenant-schema.js';
import { tenantRuleProblems, type Placed, type RuleSection, type RuleTenant } from '../config/tenant-rules.js';
import type { OfficeHours } from '../workflow/office-hours.js';
import { ABSENCE_LABELS } from '../workflow/routing.js';
import { collectGarbage, discardDraft, forgetDraft, numberOrMissing, sectionRows, versionsOf, writeSectionVersion, type SectionVersions, type VersionedSection } from './config-versions.js';
import { isDuplicateKey, type Db } from './db.js';
import { UnknownTenantError } from './errors.js';
import { ConcurrentImportError, ImportWriteError, TenantRulesError } from './import-errors.js';
import type { ImportOptions, ImportReport, NetworkAccount, SectionReport } from './port.js';
import { tenantModel } from './models/tenant.js';
import { reserveSequence } from './sequences.js';

/**
 * Imports and exports of what admins configure. An import is all or nothing: it reads the
 * tenant as stored, puts the imported sections in place (departments, keyword lists and
 * the gazetteer are merged by key: an entry the file leaves out stays; the staff list is
 * replaced: a person left out is deactivated and kept for the record), checks the result
 * as one whole tenant file, and only then writes the changed sections as new versions and
 * switches them in with one update (store/config-versions.ts). Imports are idempotent: an
 * import that changes nothing writes nothing.
 */

type Row = Record<string, unknown>;

function emptyReport(): { created: string[]; changed: string[]; unchanged: string[] } {
  return { created: [], changed: [], unchanged: [] };
}

/** JSON-equal, with a missing field and null the same: how the admin's file compares to what is stored. */
function sameFields(stored: Row, wanted: Row): boolean {
  const norm = (row: Row) => JSON.parse(JSON.stringify(Object.fromEntries(Object.keys(wanted).map((k) => [k, row[k] ?? null])))) as unknown;
  return isDeepStrictEqual(norm(stored), norm(wanted));
}

// ---------------------------------------------------------------------------------------
// Sections: how an entry of the file becomes a row, and back

interface SectionSpec<E> {
  readonly section: VersionedSection;
  readonly title: string;
  key(entry: E): string;
  keyOfRow(row: Row): string;
  label(entry: E): string;
  /** The row's fields that the entry sets (given the stored row, for what the entry leaves alone). */
  fields(entry: E, zone: string, stored: Row | undefined): Row;
  toEntry(row: Row, zone: string): E;
  /** Replace: the file is the whole list (staff); merge: entries left out stay. */
  readonly mode: 'merge' | 'replace';
}

function localDay(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toISODate()!;
}

const departmentSpec: SectionSpec<DepartmentEntry> = {
  section: 'departments', title: 'отделы', mode: 'merge',
  key: (d) => d.code,
  keyOfRow: (r) => String(r.code),
  label: (d) => d.code,
  fields: (d) => ({ code: d.code, name: d.name, topics: d.topics, executors: d.executors }),
  toEntry: (r) => ({ code: String(r.code), name: String(r.name), topics: (r.topics as string[]) ?? [], executors: (r.executors as string[]) ?? [] }),
};

type StoredAbsence = { from: Date; to: Date; reason: string; reasonLabel: string };

const staffSpec: SectionSpec<StaffEntry> = {
  section: 'staff', title: 'сотрудники', mode: 'replace',
  key: (s) => s.code,
  keyOfRow: (r) => String(r.code),
  label: (s) => s.code,
  fields: (s, zone, stored) => ({
    code: s.code, fullName: s.fullName, roles: s.roles, department: s.department ?? null, telegramUserId: s.telegramUserId ?? null, deputy: s.deputy ?? null,
    // A CSV of staff has no absence columns: the absences on record stay.
    absences: s.absences
      ? s.absences.map((a) => ({
          // A day-granular absence covers whole local days in the tenant's zone.
          from: DateTime.fromISO(a.from, { zone }).startOf('day').toJSDate(),
          to: DateTime.fromISO(a.to, { zone }).endOf('day').toJSDate(),
          reason: a.reason,
          reasonLabel: ABSENCE_LABELS[a.reason],
        }))
      : ((stored?.absences as StoredAbsence[] | undefined) ?? []),
    // In the file means in service, unless the file says otherwise.
    active: s.active ?? true,
    removedAt: null,
  }),
  toEntry: (r, zone) => ({
    code: String(r.code),
    fullName: String(r.fullName),
    roles: r.roles as StaffEntry['roles'],
    department: (r.department as string | null | undefined) ?? null,
    telegramUserId: (r.telegramUserId as number | null | undefined) ?? null,
    deputy: (r.deputy as string | null | undefined) ?? null,
    absences: ((r.absences as StoredAbsence[] | undefined) ?? []).map((a) => ({ from: localDay(a.from, zone), to: localDay(a.to, zone), reason: a.reason as NonNullable<StaffEntry['absences']>[number]['reason'] })),
    active: r.active !== false,
  }),
};

const keywordListSpec: SectionSpec<KeywordListEntry> = {
  section: 'keywordLists', title: 'списки ключевых слов', mode: 'merge',
  key: (k) => k.name,
  keyOfRow: (r) => String(r.name),
  label: (k) => k.name,
  fields: (k) => ({ name: k.name, keywords: k.keywords, exclude: k.exclude }),
  toEntry: (r) => ({ name: String(r.name), keywords: (r.keywords as string[]) ?? [], exclude: (r.exclude as string[]) ?? [] }),
};

const gazetteerSpec: SectionSpec<GazetteerEntry> = {
  section: 'gazetteer', title: 'справочник мест', mode: 'merge',
  key: (g) => `${g.kind}\u0000${g.settlement}\u0000${g.name}`,
  keyOfRow: (r) => `${String(r.kind)}\u0000${String(r.settlement ?? '')}\u0000${String(r.name)}`,
  label: (g) => (g.settlement ? `${g.kind}: ${g.name} (${g.settlement})` : `${g.kind}: ${g.name}`),
  fields: (g) => ({ kind: g.kind, name: g.name, settlement: g.settlement, aliases: g.aliases }),
  toEntry: (r) => ({ kind: r.kind as GazetteerEntry['kind'], name: String(r.name), settlement: String(r.settlement ?? ''), aliases: (r.aliases as string[]) ?? [] }),
};

// ---------------------------------------------------------------------------------------
// Planning: what the import would change, decided before anything is written

interface SectionPlan {
  readonly section: VersionedSection;
  readonly title: string;
  /** The rows of the new version, in the file's order, then what the file left out. */
  readonly rows: Row[];
  readonly report: SectionReport;
  readonly changes: boolean;
}

function planSection<E>(spec: SectionSpec<E>, stored: readonly Row[], entries: readonly E[], zone: string, now: Date): SectionPlan {
  const byKey = new Map(stored.map((r) => [spec.keyOfRow(r), r]));
  const report = emptyReport();
  const deactivated: string[] = [];
  const out: Row[] = [];
  const seen = new Set<string>();
  // One entry per key: a place listed twice in a gazetteer is one place, as the later line has it.
  const latest = new Map<string, E>();
  for (const entry of entries) latest.set(spec.key(entry), entry);
  for (const [key, entry] of latest) {
    seen.add(key);
    const old = byKey.get(key);
    const { _id: _ignored, ...kept } = old ?? {};
    const fields = spec.fields(entry, zone, old);
    if (!old) {
      out.push({ ...fields, createdAt: now, updatedAt: now });
      report.created.push(spec.label(entry));
    } else if (sameFields(old, fields)) {
      out.push(kept);
      report.unchanged.push(spec.label(entry));
    } else {
      out.push({ ...kept, ...fields, updatedAt: now });
      report.changed.push(spec.label(entry));
    }
  }
  for (const old of stored) {
    const key = spec.keyOfRow(old);
    if (seen.has(key)) continue;
    const { _id: _ignored, ...kept } = old;
    if (spec.mode === 'replace' && old.active !== false) {
      // Left out of the staff list: no longer in service, kept so reports still name them.
      out.push({ ...kept, active: false, removedAt: now, updatedAt: now });
      deactivated.push(key);
    } else out.push(kept);
  }
  const changes = report.created.length + report.changed.length + deactivated.length > 0;
  return { section: spec.section, title: spec.title, rows: out, report: spec.mode === 'replace' ? { ...report, deactivated } : report, changes };
}

function tenantFields(file: TenantFile): Row {
  return { title: file.title, timeZone: file.timeZone, regulationProfile: file.regulationProfile, officeHours: file.officeHours, topics: file.topics, accounts: file.accounts };
}

/** What an import brings: the tenant's own fields (a whole file), and any sections. */
interface Incoming {
  readonly tenant: string;
  readonly file?: TenantFile;
  readonly departments?: readonly DepartmentEntry[];
  readonly staff?: readonly StaffEntry[];
  readonly keywordLists?: readonly KeywordListEntry[];
  readonly gazetteer?: readonly GazetteerEntry[];
}

type TenantDoc = Row & { name: string; timeZone: string; accounts?: AccountEntry[]; revision?: number; versions?: Partial<SectionVersions> };

function storeSection<E>(spec: SectionSpec<E>, rows: readonly Row[], zone: string): Array<Placed<E>> {
  return rows.map((r) => ({ entry: spec.toEntry(r, zone), origin: { source: 'store', key: spec.keyOfRow(r) } }));
}

function fileItems<E>(entries: readonly E[]): Array<Placed<E>> {
  return entries.map((entry, index) => ({ entry, origin: { source: 'file', index } }));
}

/** A merged section as the rules see it: the stored entries the file does not replace, then the file's. */
function mergedSection<E>(spec: SectionSpec<E>, stored: readonly Row[], incoming: readonly E[] | undefined, zone: string): RuleSection<E> {
  if (!incoming) return { items: storeSection(spec, stored, zone), known: stored.length > 0 };
  const replaced = new Set(incoming.map((e) => spec.key(e)));
  return { items: [...storeSection(spec, stored.filter((r) => !replaced.has(spec.keyOfRow(r))), zone), ...fileItems(incoming)], known: true };
}

/**
 * The tenant the import would leave, as the whole-file rules see it: the file's sections
 * in place of the stored ones (staff: the file's list is the whole list).
 */
function wholeTenant(incoming: Incoming, stored: { doc: TenantDoc | null; departments: Row[]; staff: Row[]; keywordLists: Row[] }, zone: string): RuleTenant {
  const accounts: RuleSection<AccountEntry> = incoming.file
    ? { items: fileItems(incoming.file.accounts), known: true }
    : { items: (stored.doc?.accounts ?? []).map((a) => ({ entry: { ...a, keywordLists: a.keywordLists ?? [] }, origin: { source: 'store', key: a.name } })), known: true };
  return {
    accounts,
    // Departments are always known to the store: a person's department must exist before the person is loaded.
    departments: { ...mergedSection(departmentSpec, stored.departments, incoming.departments, zone), known: true },
    staff: incoming.staff ? { items: fileItems(incoming.staff), known: true } : { items: storeSection(staffSpec, stored.staff, zone), known: stored.staff.length > 0 },
    keywordLists: mergedSection(keywordListSpec, stored.keywordLists, incoming.keywordLists, zone),
  };
}

/** Active staff by Telegram id, for the staff bot's lookup (switched with the staff version). */
function telegramDirectory(staffRows: readonly Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of staffRows) if (r.active !== false && typeof r.telegramUserId === 'number') out[String(r.telegramUserId)] = String(r.code);
  return out;
}

async function importTenant(db: Db, incoming: Incoming, options: ImportOptions = {}): Promise<ImportReport> {
  const now = options.now ?? new Date();
  const tenant = incoming.tenant;
  const progress = options.onProgress ?? (() => {});
  const Tenants = tenantModel(db.connection);
  await collectGarbage(db, tenant, now);

  // 1. The tenant as stored, read once: every check and every comparison is against it.
  const doc = (await Tenants.findOne({ name: tenant }).lean().exec()) as unknown as TenantDoc | null;
  if (!doc && !incoming.file) throw new UnknownTenantError(tenant);
  const revision = doc?.revision ?? 0;
  const active = versionsOf(doc as never);
  const zone = incoming.file?.timeZone ?? doc!.timeZone;
  const load = async (section: VersionedSection, needed: boolean): Promise<Row[]> => (doc && needed ? sectionRows<Row>(db, tenant, section, active[section]) : []);
  const [departments, staff, keywordLists, gazetteer] = await Promise.all([
    load('departments', true),
    load('staff', true),
    load('keywordLists', true),
    // Not cross-checked: read only to be merged with an incoming gazetteer.
    load('gazetteer', incoming.gazetteer !== undefined),
  ]);

  // 2. The whole tenant this import leaves must pass the whole-file rules.
  const problems = tenantRuleProblems(wholeTenant(incoming, { doc, departments, staff, keywordLists }, zone));
  if (problems.length > 0) throw new TenantRulesError(tenant, problems);

  // 3. What changes.
  const report: ImportReport = {};
  const tenantReport = emptyReport();
  let tenantChanged = false;
  if (incoming.file) {
    const wanted = tenantFields(incoming.file);
    if (!doc) tenantReport.created.push(tenant);
    else if (sameFields(doc, wanted)) tenantReport.unchanged.push(tenant);
    else tenantReport.changed.push(tenant);
    tenantChanged = tenantReport.unchanged.length === 0;
    report.tenant = tenantReport;
  }
  const plans: SectionPlan[] = [];
  if (incoming.departments) plans.push(planSection(departmentSpec, departments, incoming.departments, zone, now));
  if (incoming.staff) plans.push(planSection(staffSpec, staff, incoming.staff, zone, now));
  if (incoming.keywordLists) plans.push(planSection(keywordListSpec, keywordLists, incoming.keywordLists, zone, now));
  if (incoming.gazetteer) plans.push(planSection(gazetteerSpec, gazetteer, incoming.gazetteer, zone, now));
  for (const plan of plans) report[plan.section] = plan.report;
  const changed = plans.filter((p) => p.changes);
  if (!tenantChanged && changed.length === 0) return report;

  // 4. The changed sections as new versions, beside the active ones: readers see none of it yet.
  const written: Array<{ section: VersionedSection; version: number }> = [];
  const discardWritten = async () => {
    for (const w of written) await discardDraft(db, tenant, w.section, w.version).catch(() => undefined);
  };
  const versions: Partial<SectionVersions> = {};
  for (const plan of changed) {
    try {
      const version = await reserveSequence(db, `config:${tenant}`, 1);
      written.push({ section: plan.section, version });
      await writeSectionVersion(db, tenant, plan.section, version, plan.rows, { now, onProgress: progress, label: plan.title, ...(options.batchSize ? { batchSize: options.batchSize } : {}) });
      versions[plan.section] = version;
    } catch (error) {
      await discardWritten();
      throw new ImportWriteError(tenant, plan.section, error);
    }
  }

  // 5. The switch: the tenant's fields, the new versions and the bot's directory in one update,
  // fenced by the revision everything above was read at.
  const staffPlan = changed.find((p) => p.section === 'staff');
  const set: Row = {
    ...(incoming.file ? tenantFields(incoming.file) : {}),
    ...Object.fromEntries(Object.entries(versions).map(([section, version]) => [`versions.${section}`, version])),
    ...(staffPlan ? { telegramStaff: telegramDirectory(staffPlan.rows) } : {}),
  };
  try {
    if (!doc) {
      await Tenants.create({ name: tenant, ...tenantFields(incoming.file!), versions: { ...active, ...versions }, revision: 1, telegramStaff: staffPlan ? telegramDirectory(staffPlan.rows) : {} });
    } else {
      // `tenant` is a checked code (config/tenant-schema.ts), never an operator.
      const result = await Tenants.updateOne({ name: String(tenant), revision: numberOrMissing(revision) }, { $set: set, $inc: { revision: 1 } }).exec();
      if (result.matchedCount !== 1) throw new ConcurrentImportError(tenant);
    }
  } catch (error) {
    await discardWritten();
    if (error instanceof ConcurrentImportError) throw error;
    if (isDuplicateKey(error)) throw new ConcurrentImportError(tenant);
    throw new ImportWriteError(tenant, 'tenant', error);
  }
  for (const w of written) await forgetDraft(db, tenant, w.section, w.version).catch(() => undefined);
  return report;
}

// ---------------------------------------------------------------------------------------
// The port's imports

export function importDepartments(db: Db, tenant: string, entries: readonly DepartmentEntry[], options?: ImportOptions): Promise<SectionReport> {
  return importTenant(db, { tenant, departments: entries }, options).then((r) => r.departments!);
}

export function importStaff(db: Db, tenant: string, entries: readonly StaffEntry[], options?: ImportOptions): Promise<SectionReport> {
  return importTenant(db, { tenant, staff: entries }, options).then((r) => r.staff!);
}

export function importKeywordLists(db: Db, tenant: string, entries: readonly KeywordListEntry[], options?: ImportOptions): Promise<SectionReport> {
  return importTenant(db, { tenant, keywordLists: entries }, options).then((r) => r.keywordLists!);
}

export function importGazetteer(db: Db, tenant: string, entries: readonly GazetteerEntry[], options?: ImportOptions): Promise<SectionReport> {
  return importTenant(db, { tenant, gazetteer: entries }, options).then((r) => r.gazetteer!);
}

/** The tenant and every section its file contains, checked and switched in together. */
export function importTenantFile(db: Db, file: TenantFile, options?: ImportOptions): Promise<ImportReport> {
  return importTenant(db, {
    tenant: file.name, file,
    ...(file.departments ? { departments: file.departments } : {}),
    ...(file.staff ? { staff: file.staff } : {}),
    ...(file.keywordLists ? { keywordLists: file.keywordLists } : {}),
    ...(file.gazetteer ? { gazetteer: file.gazetteer } : {}),
  }, options);
}

// ---------------------------------------------------------------------------------------
// Reading the active configuration

async function tenantDoc(db: Db, tenant: string): Promise<TenantDoc> {
  const found = (await tenantModel(db.connection).findOne({ name: tenant }).lean().exec()) as unknown as TenantDoc | null;
  if (!found) throw new UnknownTenantError(tenant);
  return found;
}

async function activeEntries<E>(db: Db, doc: TenantDoc, spec: SectionSpec<E>, order: (a: E, b: E) => number): Promise<E[]> {
  const rows = await sectionRows<Row>(db, doc.name, spec.section, versionsOf(doc as never)[spec.section]);
  return rows.map((r) => spec.toEntry(r, doc.timeZone)).sort(order);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Codes already stored, for checking references of a partial import before writing. */
export async function existingCodes(db: Db, tenant: string): Promise<{ departments: Set<string>; staff: Set<string>; keywordLists: Set<string> }> {
  const doc = await tenantDoc(db, tenant);
  const v = versionsOf(doc as never);
  const [departments, staff, lists] = await Promise.all([
    sectionRows<Row>(db, tenant, 'departments', v.departments),
    sectionRows<Row>(db, tenant, 'staff', v.staff),
    sectionRows<Row>(db, tenant, 'keywordLists', v.keywordLists),
  ]);
  return { departments: new Set(departments.map((d) => String(d.code))), staff: new Set(staff.map((s) => String(s.code))), keywordLists: new Set(lists.map((l) => String(l.name))) };
}

export async function exportDepartments(db: Db, tenant: string): Promise<DepartmentEntry[]> {
  return activeEntries(db, await tenantDoc(db, tenant), departmentSpec, (a, b) => byText(a.code, b.code));
}

export async function exportStaff(db: Db, tenant: string): Promise<StaffEntry[]> {
  return activeEntries(db, await tenantDoc(db, tenant), staffSpec, (a, b) => byText(a.code, b.code));
}

export async function exportKeywordLists(db: Db, tenant: string): Promise<KeywordListEntry[]> {
  return activeEntries(db, await tenantDoc(db, tenant), keywordListSpec, (a, b) => byText(a.name, b.name));
}

export async function exportGazetteer(db: Db, tenant: string): Promise<GazetteerEntry[]> {
  return activeEntries(db, await tenantDoc(db, tenant), gazetteerSpec, (a, b) => byText(a.kind, b.kind) || byText(a.settlement, b.settlement) || byText(a.name, b.name));
}

export async function exportTenantFile(db: Db, name: string): Promise<TenantFile> {
  const t = await tenantDoc(db, name);
  const [departments, staff, keywordLists, gazetteer] = await Promise.all([
    activeEntries(db, t, departmentSpec, (a, b) => byText(a.code, b.code)),
    activeEntries(db, t, staffSpec, (a, b) => byText(a.code, b.code)),
    activeEntries(db, t, keywordListSpec, (a, b) => byText(a.name, b.name)),
    activeEntries(db, t, gazetteerSpec, (a, b) => byText(a.kind, b.kind) || byText(a.settlement, b.settlement) || byText(a.name, b.name)),
  ]);
  const profile = t.regulationProfile as { id?: string; overrides?: unknown } | undefined;
  return {
    name: t.name,
    title: String(t.title),
    timeZone: t.timeZone,
    regulationProfile: { id: profile?.id as TenantFile['regulationProfile']['id'], overrides: (profile?.overrides ?? {}) as TenantFile['regulationProfile']['overrides'] },
    officeHours: officeHoursForFile((t.officeHours ?? null) as OfficeHours | null) as unknown as TenantFile['officeHours'],
    topics: (t.topics as string[]) ?? [],
    accounts: (t.accounts ?? []).map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined && v !== null))) as TenantFile['accounts'],
    departments, staff, keywordLists, gazetteer,
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
    const lists = await sectionRows<Row>(db, t.name, 'keywordLists', versionsOf(t as never).keywordLists);
    for (const a of t.accounts) {
      if (a.network !== network || a.enabled === false) continue;
      const wanted = new Set(a.keywordLists);
      const keywords = [...new Set(lists.filter((l) => wanted.has(String(l.name))).flatMap((l) => l.keywords as string[]))];
      const account = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined && v !== null)) as AccountEntry;
      out.push({ tenant: t.name, account, keywords });
    }
  }
  return out;
}
