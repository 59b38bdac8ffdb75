import { absenceAt, type StaffMember, type StaffRole } from '../workflow/routing.js';
import { sectionRows, versionsOf } from './config-versions.js';
import { collection, type Db } from './db.js';
import type { Recipient, StaffAccount, StaffProfile } from './port.js';

type StaffRow = { tenant: string; code: string; fullName: string; roles: string[]; department?: string | null; telegramUserId?: number | null; active?: boolean };
type TenantHead = { name: string; versions?: Record<string, number>; telegramStaff?: Record<string, string> };

const tenants = (db: Db) => collection<TenantHead>(db, 'tenants');
const staffRows = (db: Db) => collection<StaffRow>(db, 'staff');

/** One person of the tenant's active staff version, by the unique key (tenant, version, code). */
async function activeRow(db: Db, head: TenantHead, code: string): Promise<StaffRow | null> {
  return staffRows(db).findOne({ tenant: head.name, version: versionsOf(head).staff, code });
}

/**
 * Every active registration of this Telegram user, across tenants (one bot serves the
 * deployment). The tenants' Telegram directories are switched with their staff (store/
 * tenant-config.ts), so a person an import deactivated is refused from the next update on;
 * the tenants collection is small, and each person is then read by its unique key.
 */
export async function staffByTelegramId(db: Db, telegramUserId: number): Promise<StaffAccount[]> {
  if (!Number.isSafeInteger(telegramUserId)) return [];
  const heads = await tenants(db).find({ [`telegramStaff.${telegramUserId}`]: { $exists: true } }, { projection: { name: 1, versions: 1, telegramStaff: 1 } }).sort({ name: 1 }).toArray();
  const out: StaffAccount[] = [];
  for (const head of heads) {
    const code = head.telegramStaff?.[String(telegramUserId)];
    if (!code) continue;
    const row = await activeRow(db, head, code);
    // The directory and the row are switched together; the row has the last word.
    if (!row || row.active === false || row.telegramUserId !== telegramUserId) continue;
    out.push({ tenant: head.name, code: row.code, fullName: row.fullName, roles: row.roles as StaffRole[], telegramUserId });
  }
  return out;
}

export async function staffMember(db: Db, tenant: string, code: string): Promise<StaffProfile | null> {
  const head = await tenants(db).findOne({ name: tenant }, { projection: { name: 1, versions: 1 } });
  if (!head) return null;
  const row = await activeRow(db, head, code);
  if (!row) return null;
  return { tenant, code: row.code, fullName: row.fullName, roles: row.roles as StaffRole[], department: row.department ?? null, active: row.active !== false };
}

export async function isStaffActive(db: Db, tenant: string, code: string): Promise<boolean> {
  return (await staffMember(db, tenant, code))?.active === true;
}

/**
 * Who reads a notice: every active member of the role, or the person named — and, while
 * that person is absent, their deputy too (000 [5], 001 [6]), so nothing waits for a
 * colleague on leave.
 */
export async function recipientsOf(db: Db, tenant: string, to: Recipient, staff: readonly StaffMember[], now: Date): Promise<StaffAccount[]> {
  const head = await tenants(db).findOne({ name: tenant }, { projection: { name: 1, versions: 1 } });
  if (!head) return [];
  const docs = await sectionRows<StaffRow>(db, tenant, 'staff', versionsOf(head).staff);
  const accounts = docs
    .filter((d) => d.active !== false && typeof d.telegramUserId === 'number')
    .map((d) => ({ tenant, code: d.code, fullName: d.fullName, roles: d.roles as StaffRole[], telegramUserId: d.telegramUserId! }));
  if ('role' in to) return accounts.filter((a) => a.roles.includes(to.role));
  const codes = new Set([to.staff]);
  const member = staff.find((s) => s.code === to.staff);
  if (member && member.deputy && absenceAt(member, now)) codes.add(member.deputy);
  return accounts.filter((a) => codes.has(a.code));
}
