import type { Connection, Model } from 'mongoose';
import { DEFAULT_TOPICS } from '../../classifiers/data/topic-training.js';
import type { TenantContext, WebStore } from '../../web/ports.js';
import { loadTenantTopics } from '../classifier.js';
import type { Store } from '../connection.js';
import { departmentModel } from '../models/department.js';
import { tenantModel } from '../models/tenant.js';
import { TenantRuntimeCache } from '../tenant-runtime.js';
import { accountsByTelegramId, consumeSignInToken, findAccount, findCredential } from './accounts.js';
import { deleteCannedAnswer, findCannedAnswer, listCannedAnswers, saveCannedAnswer } from './canned-answers.js';
import { applyCommand, loadCard } from './card.js';
import { dashboardData } from './dashboard.js';
import { inboxPage } from './inbox.js';
import { OpenIncidents } from './open-incidents.js';
import { cannedAnswerModel } from './models/canned-answer.js';
import { readEntryModel } from './models/read-entry.js';
import { webCredentialModel } from './models/web-credential.js';
import { webSessionModel } from './models/web-session.js';
import { webSignInTokenModel } from './models/web-sign-in-token.js';
import { readsOf, recordRead } from './read-register.js';
import { createSession, deleteExpiredSessions, deleteSession, findSession, updateSession } from './sessions.js';

/** The workplace's own collections: created with their indexes one after another, as store/connection.ts does for the rest. */
const WEB_MODELS: ReadonlyArray<(connection: Connection) => Model<any>> = [webSessionModel, webSignInTokenModel, webCredentialModel, cannedAnswerModel, readEntryModel];

export async function initWebCollections(store: Store): Promise<void> {
  for (const factory of WEB_MODELS) {
    const model = factory(store.connection);
    await model.createCollection().catch((error: { codeName?: string; code?: number }) => {
      if (error.codeName !== 'NamespaceExists' && error.code !== 48) throw error;
    });
    await model.createIndexes();
  }
}

/** Staff and directory changes reach the workplace within this long; deactivation is checked on every request regardless. */
const TENANT_MAX_AGE_MS = 15_000;

/** WebStore on today's store functions and the workplace's own collections; `stop` ends its background scans. */
export async function openWebStore(store: Store): Promise<WebStore & { stop(): void; warm(tenant: string): Promise<void> }> {
  await initWebCollections(store);
  const open = new OpenIncidents(store);
  open.start();
  const runtimes = new TenantRuntimeCache(store, TENANT_MAX_AGE_MS);
  const topics = new Map<string, { list: string[]; byDepartment: Record<string, string[]>; atMs: number }>();
  const tenantTopics = async (tenant: string, nowMs: number) => {
    const cached = topics.get(tenant);
    if (cached && nowMs - cached.atMs < TENANT_MAX_AGE_MS) return cached;
    const [own, departments] = await Promise.all([loadTenantTopics(store, tenant), departmentModel(store.connection).find({ tenant }, { code: 1, topics: 1 }).lean().exec()]);
    const entry = {
      list: own.length > 0 ? [...own] : [...DEFAULT_TOPICS],
      byDepartment: Object.fromEntries(departments.map((d) => [d.code, [...(d.topics ?? [])]])),
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
      const docs = await tenantModel(store.connection).find({ name: { $in: [...tenants] } }, { name: 1, title: 1 }).lean().exec();
      return new Map(docs.map((d) => [d.name, d.title]));
    },
    inbox: (query) => inboxPage(store, open, query),
    card: (tenant, number) => loadCard(store, tenant, number),
    async apply(request) {
      const applied = await applyCommand(store, runtimes, request);
      await open.touch(request.tenant, [request.number]);
      return applied;
    },
    async changesSince(tenant, since) {
      const latest = new Date();
      return { numbers: await open.changedSince(tenant, since.getTime()), latest };
    },
    stop: () => open.stop(),
    // Reads a tenant's open incidents before the first page asks (seconds at 10,000).
    warm: async (tenant) => {
      await open.rows(tenant);
    },
    cannedAnswers: (tenant) => listCannedAnswers(store, tenant),
    cannedAnswer: (tenant, id) => findCannedAnswer(store, tenant, id),
    saveCannedAnswer: (input) => saveCannedAnswer(store, input),
    deleteCannedAnswer: (tenant, id) => deleteCannedAnswer(store, tenant, id),
    recordRead: (entry) => recordRead(store, entry),
    readsOf: (tenant, number, limit) => readsOf(store, tenant, number, limit),
    dashboard: (tenant, period) => dashboardData(store, tenant, period),
  };
}
