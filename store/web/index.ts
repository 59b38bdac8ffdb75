import type { Connection, Model } from 'mongoose';
import { DEFAULT_TOPICS } from '../../classifiers/data/topic-training.js';
import type { TenantContext, WebStore } from '../../web/ports.js';
import { dbOf } from '../connection.js';
import type { Store } from '../port.js';
import { TenantRuntimeCache } from '../tenant-runtime.js';
import { accountsByTelegramId, consumeSignInToken, findAccount, findCredential } from './accounts.js';
import { deleteCannedAnswer, findCannedAnswer, listCannedAnswers, saveCannedAnswer } from './canned-answers.js';
import { applyCommand, loadCard } from './card.js';
import { dashboardData } from './dashboard.js';
import { inboxPage } from './inbox.js';
import { cannedAnswerModel } from './models/canned-answer.js';
import { webCredentialModel } from './models/web-credential.js';
import { webSessionModel } from './models/web-session.js';
import { webSignInTokenModel } from './models/web-sign-in-token.js';
import { readsOf, recordRead } from './read-register.js';
import { createSession, deleteExpiredSessions, deleteSession, findSession, updateSession } from './sessions.js';

/** The workplace's own collections: created with their indexes one after another, as store/connection.ts does for the rest. */
const WEB_MODELS: ReadonlyArray<(connection: Connection) => Model<any>> = [webSessionModel, webSignInTokenModel, webCredentialModel, cannedAnswerModel];

export async function initWebCollections(store: Store): Promise<void> {
  const { connection } = dbOf(store);
  for (const factory of WEB_MODELS) {
    const model = factory(connection);
    await model.createCollection().catch((error: { codeName?: string; code?: number }) => {
      if (error.codeName !== 'NamespaceExists' && error.code !== 48) throw error;
    });
    await model.createIndexes();
  }
}

/** Staff and directory changes reach the workplace within this long; deactivation is checked on every request regardless. */
const TENANT_MAX_AGE_MS = 15_000;

/**
 * WebStore on the store's port (incidents, inbox, reports) and the workplace's own
 * collections (sessions, passwords, sign-in links, canned answers, the read register).
 */
export async function openWebStore(store: Store): Promise<WebStore & { stop(): void }> {
  await initWebCollections(store);
  const runtimes = new TenantRuntimeCache(store, TENANT_MAX_AGE_MS);
  const topics = new Map<string, { list: string[]; byDepartment: Record<string, string[]>; atMs: number }>();
  const tenantTopics = async (tenant: string, nowMs: number) => {
    const cached = topics.get(tenant);
    if (cached && nowMs - cached.atMs < TENANT_MAX_AGE_MS) return cached;
    const [own, departments] = await Promise.all([store.tenants.topics(tenant), store.tenants.exportDepartments(tenant)]);
    const entry = {
      list: own.length > 0 ? [...own] : [...DEFAULT_TOPICS],
      byDepartment: Object.fromEntries(departments.map((d) => [d.code, [...d.topics]])),
      atMs: nowMs,
    };
    topics.set(tenant, entry);
    return entry;
  };
  return {
    account: (ref) => findAccount(store, ref),
    accountsByTelegramId: (id) => accountsByTelegramId(store, id),
    credential: (login) => findCredential(store, login),
    consumeSignInToken: (id, now) => consumeSignInToken(store, id, now),
    createSession: (s) => createSession(store, s),
    findSession: (id) => findSession(store, id),
    updateSession: (id, change) => updateSession(store, id, change),
    deleteSession: (id) => deleteSession(store, id),
    deleteExpiredSessions: (now, idleMs) => deleteExpiredSessions(store, now, idleMs),
    async tenant(tenant, now): Promise<TenantContext> {
      const runtime = await runtimes.get(tenant, now.getTime());
      const { list, byDepartment } = await tenantTopics(tenant, now.getTime());
      return { ...runtime, topics: list, departmentTopics: byDepartment };
    },
    async tenantTitles(tenants) {
      const wanted = new Set(tenants);
      return new Map((await store.tenants.list()).filter((t) => wanted.has(t.name)).map((t) => [t.name, t.title]));
    },
    inbox: (query) => inboxPage(store, query),
    card: (tenant, number) => loadCard(store, tenant, number),
    apply: (request) => applyCommand(store, runtimes, request),
    changesSince: (tenant, since) => store.incidents.changedSince(tenant, since),
    stop: () => undefined,
    cannedAnswers: (tenant) => listCannedAnswers(store, tenant),
    cannedAnswer: (tenant, id) => findCannedAnswer(store, tenant, id),
    saveCannedAnswer: (input) => saveCannedAnswer(store, input),
    deleteCannedAnswer: (tenant, id) => deleteCannedAnswer(store, tenant, id),
    recordRead: (entry) => recordRead(store, entry),
    readsOf: (tenant, number, limit) => readsOf(store, tenant, number, limit),
    dashboard: (tenant, period) => dashboardData(store, tenant, period),
  };
}
