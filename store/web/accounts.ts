import type { AccountRef, Credential, StaffAccount } from '../../web/ports.js';
import type { StaffRole } from '../../workflow/routing.js';
import { dbOf, type Store } from '../connection.js';
import { staffModel } from '../models/staff.js';
import { webCredentialModel } from './models/web-credential.js';
import { webSignInTokenModel } from './models/web-sign-in-token.js';

/** Who may sign in to the workplace: staff records, passwords, one-time links. */

type StaffDoc = { tenant: string; code: string; fullName: string; roles: string[]; department?: string | null; active?: boolean | null };

function toAccount(d: StaffDoc): StaffAccount {
  return { tenant: d.tenant, code: d.code, fullName: d.fullName, roles: d.roles as StaffRole[], department: d.department ?? null, active: d.active !== false };
}

/** By the unique {tenant, code} index: checked on every request, so deactivation ends a session at once. */
export async function findAccount(store: Store, ref: AccountRef): Promise<StaffAccount | null> {
  const d = await staffModel(dbOf(store).connection).findOne({ tenant: ref.tenant, code: ref.code }).setOptions({ sanitizeFilter: true }).lean().exec();
  return d ? toAccount(d) : null;
}

export async function accountsByTelegramId(store: Store, telegramUserId: number): Promise<StaffAccount[]> {
  const docs = await staffModel(dbOf(store).connection).find({ telegramUserId }).lean().exec();
  return docs.map(toAccount).filter((a) => a.active).sort((a, b) => a.tenant.localeCompare(b.tenant));
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
