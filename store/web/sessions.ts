import type { AccountRef, WebSession } from '../../web/ports.js';
import { dbOf, type Store } from '../connection.js';
import { webSessionModel } from './models/web-session.js';

/** Sessions of the workplace: looked up and changed by `_id` only. */

type SessionDoc = {
  _id: string; accounts: AccountRef[]; current?: AccountRef | null; csrfToken: string; via: string;
  createdAt: Date; lastSeenAt: Date; expiresAt: Date;
};

function toSession(d: SessionDoc): WebSession {
  return {
    id: d._id,
    accounts: d.accounts.map((a) => ({ tenant: a.tenant, code: a.code })),
    current: d.current ? { tenant: d.current.tenant, code: d.current.code } : null,
    csrfToken: d.csrfToken,
    via: d.via === 'telegram' ? 'telegram' : 'password',
    createdAt: d.createdAt, lastSeenAt: d.lastSeenAt, expiresAt: d.expiresAt,
  };
}

export async function createSession(store: Store, s: WebSession): Promise<void> {
  await webSessionModel(dbOf(store).connection).create({
    _id: s.id, accounts: s.accounts, current: s.current, csrfToken: s.csrfToken, via: s.via, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt,
  });
}

export async function findSession(store: Store, id: string): Promise<WebSession | null> {
  const d = await webSessionModel(dbOf(store).connection).findOne({ _id: id }).setOptions({ sanitizeFilter: true }).lean().exec();
  return d ? toSession(d as SessionDoc) : null;
}

export async function updateSession(store: Store, id: string, change: Partial<Pick<WebSession, 'current' | 'lastSeenAt' | 'csrfToken'>>): Promise<void> {
  await webSessionModel(dbOf(store).connection).updateOne({ _id: id }, { $set: change }).setOptions({ sanitizeFilter: true }).exec();
}

export async function deleteSession(store: Store, id: string): Promise<void> {
  await webSessionModel(dbOf(store).connection).deleteOne({ _id: id }).setOptions({ sanitizeFilter: true }).exec();
}

/** Past their absolute end, or idle longer than `idleMs`. */
export async function deleteExpiredSessions(store: Store, now: Date, idleMs: number): Promise<number> {
  const result = await webSessionModel(dbOf(store).connection)
    .deleteMany({ $or: [{ expiresAt: { $lte: now } }, { lastSeenAt: { $lte: new Date(now.getTime() - idleMs) } }] })
    .exec();
  return result.deletedCount;
}
