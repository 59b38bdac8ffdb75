import type { AccountRef, Credential, StaffAccount } from '../../web/ports.js';
import type { StaffProfile } from '../port.js';
import { dbOf, type Store } from '../connection.js';
import { webCredentialModel } from './models/web-credential.js';
import { webSignInTokenModel } from './models/web-sign-in-token.js';

/** Who may sign in to the workplace: staff records, passwords, one-time links. */

function toAccount(p: StaffProfile): StaffAccount {
  return { tenant: p.tenant, code: p.code, fullName: p.fullName, roles: [...p.roles], department: p.department, active: p.active };
}

/**
 * The person as the tenant's active staff version has them (store/bot-directory.ts: by
 * unique keys). Checked on every request, so deactivation ends a session at once; the rows
 * of a replaced version, kept for a while after an import, are never read here.
 */
export async function findAccount(store: Store, ref: AccountRef): Promise<StaffAccount | null> {
  const profile = await store.staff.member(String(ref.tenant), String(ref.code));
  return profile ? toAccount(profile) : null;
}

export async function accountsByTelegramId(store: Store, telegramUserId: number): Promise<StaffAccount[]> {
  // The port's lookup keeps only active registrations; each is then read whole for its department.
  const registrations = await store.staff.byTelegramId(telegramUserId);
  const profiles = await Promise.all(registrations.map((r) => store.staff.member(r.tenant, r.code)));
  return profiles.filter((p): p is StaffProfile => p !== null && p.active).map(toAccount).sort((a, b) => a.tenant.localeCompare(b.tenant));
}

export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

export async function findCredential(store: Store, login: string): Promise<Credential | null> {
  const d = await webCredentialModel(dbOf(store).connection).findOne({ _id: normalizeLogin(login) }).setOptions({ sanitizeFilter: true }).lean().exec();
  return d ? { login: d._id, passwordHash: d.passwordHash, accounts: d.accounts.map((a) => ({ tenant: a.tenant, code: a.code })) } : null;
}

/** The login a registration signs in with already, if any (one per registration). */
export async function loginOf(store: Store, ref: AccountRef): Promise<string | null> {
  const d = await webCredentialModel(dbOf(store).connection).findOne({ accounts: { $elemMatch: { tenant: String(ref.tenant), code: String(ref.code) } } }).lean().exec();
  return d?._id ?? null;
}

/** Sets (or replaces) the password of a login and the registrations it opens. */
export async function saveCredential(store: Store, credential: Credential, now: Date): Promise<void> {
  await webCredentialModel(dbOf(store).connection)
    .updateOne(
      { _id: normalizeLogin(credential.login) },
      { $set: { passwordHash: credential.passwordHash, accounts: credential.accounts.map((a) => ({ tenant: a.tenant, code: a.code })), updatedAt: now } },
      { upsert: true },
    )
    .setOptions({ sanitizeFilter: true })
    .exec();
}

/** Stores a one-time sign-in link's token id (the SHA-256 of the token; the token goes only to the person). */
export async function saveSignInToken(store: Store, tokenId: string, telegramUserId: number, now: Date, ttlMs: number): Promise<void> {
  await webSignInTokenModel(dbOf(store).connection).create({ _id: tokenId, telegramUserId, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) });
}

/** Deleted as it is read, so a link works once even when two tabs open it at the same instant. */
export async function consumeSignInToken(store: Store, tokenId: string, now: Date): Promise<{ telegramUserId: number } | null> {
  const d = await webSignInTokenModel(dbOf(store).connection).findOneAndDelete({ _id: tokenId }).setOptions({ sanitizeFilter: true }).lean().exec();
  if (!d || d.expiresAt.getTime() <= now.getTime()) return null;
  return { telegramUserId: d.telegramUserId };
}

export async function deleteExpiredSignInTokens(store: Store, now: Date): Promise<number> {
  const result = await webSignInTokenModel(dbOf(store).connection).deleteMany({ expiresAt: { $lte: now } }).exec();
  return result.deletedCount;
}
