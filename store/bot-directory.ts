import { absenceAt, type StaffMember, type StaffRole } from '../workflow/routing.js';
import type { Db } from './db.js';
import { staffModel } from './models/staff.js';

import type { Recipient, StaffAccount } from './port.js';

/** Every active registration of this Telegram user, across tenants (one bot serves the deployment). */
export async function staffByTelegramId(db: Db, telegramUserId: number): Promise<StaffAccount[]> {
  const docs = await staffModel(db.connection).find({ telegramUserId, active: { $ne: false } }).sort({ tenant: 1 }).lean().exec();
  return docs.map((d) => ({ tenant: d.tenant, code: d.code, fullName: d.fullName, roles: d.roles as StaffRole[], telegramUserId }));
}

/**
 * Who reads a notice: every active member of the role, or the person named — and, while
 * that person is absent, their deputy too (000 [5], 001 [6]), so nothing waits for a
 * colleague on leave.
 */
export async function recipientsOf(db: Db, tenant: string, to: Recipient, staff: readonly StaffMember[], now: Date): Promise<StaffAccount[]> {
  const docs = await staffModel(db.connection).find({ tenant, active: { $ne: false }, telegramUserId: { $ne: null } }).lean().exec();
  const accounts = docs.map((d) => ({ tenant, code: d.code, fullName: d.fullName, roles: d.roles as StaffRole[], telegramUserId: d.telegramUserId! }));
  if ('role' in to) return accounts.filter((a) => a.roles.includes(to.role));
  const codes = new Set([to.staff]);
  const member = staff.find((s) => s.code === to.staff);
  if (member && member.deputy && absenceAt(member, now)) codes.add(member.deputy);
  return accounts.filter((a) => codes.has(a.code));
}
