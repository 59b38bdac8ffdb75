// A running workplace for tests: the real server (web/server.ts) on a free port, on the
// real embedded store (a fresh database), with the example municipality and optionally a
// second one. Passwords are set as `otklik staff password` sets them.
import fs from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../../config/tenant-schema.js';
import type { Store } from '../../../store/port.js';
import { saveCredential } from '../../../store/web/accounts.js';
import { openWebStore } from '../../../store/web/index.js';
import { LiveHub } from '../../../web/live.js';
import { hashPassword } from '../../../web/passwords.js';
import type { AccountRef, WebStore } from '../../../web/ports.js';
import { buildWebApp } from '../../../web/server.js';
import { dropTestStore, openTestStore } from '../../support/store.js';

export const PASSWORD = 'Проверка-пароля-2026';

export interface Workplace {
  readonly url: string;
  readonly store: Store;
  readonly web: WebStore & { stop(): void };
  readonly app: FastifyInstance;
  readonly live: LiveHub;
  readonly logLines: string[];
  close(): Promise<void>;
}

export interface WorkplaceOptions {
  /** The web's clock (the workflow decides at this instant); default: the real one. */
  readonly now?: () => Date;
  readonly signInLimit?: { max: number; timeWindowMs: number };
  /** Rewrites the example's sandbox address (for the publisher worker). */
  readonly sandboxUrl?: string;
  /** Also import a second municipality (regulation 004, explanations) sharing people with the first. */
  readonly secondTenant?: boolean;
  readonly idleMs?: number;
}

/** The example municipality's file, optionally pointed at a sandbox. */
export function exampleTenant(sandboxUrl?: string) {
  const raw = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as { accounts: Array<{ apiBaseUrl?: string }> };
  if (sandboxUrl) for (const a of raw.accounts) a.apiBaseUrl = a.apiBaseUrl?.replace('http://127.0.0.1:8787', sandboxUrl);
  return tenantFileSchema.parse(raw);
}

/** Озёрный: regulation 004 (explanations, 004 [3.7]); Petrova and Orlova work there too (same Telegram ids). */
export function secondTenant() {
  const raw = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as Record<string, unknown> & { staff: Array<Record<string, unknown>>; accounts: Array<Record<string, unknown>> };
  raw.name = 'ozerny';
  raw.title = 'Администрация Озёрного городского округа';
  raw.regulationProfile = { id: 'okha', overrides: {} };
  raw.accounts = raw.accounts.map((a) => ({ ...a, name: `${String(a.name)}-oz`, groupId: a.groupId ? `9${String(a.groupId)}` : a.groupId }));
  return tenantFileSchema.parse(raw);
}

export async function setPassword(store: Store, login: string, accounts: readonly AccountRef[], password = PASSWORD): Promise<void> {
  await saveCredential(store, { login, passwordHash: await hashPassword(password), accounts }, new Date());
}

export async function startWorkplace(label: string, options: WorkplaceOptions = {}): Promise<Workplace> {
  const store = await openTestStore(label);
  await store.tenants.importFile(exampleTenant(options.sandboxUrl));
  if (options.secondTenant) await store.tenants.importFile(secondTenant());
  const web = await openWebStore(store);
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write(chunk: Buffer, _enc, done) { logLines.push(chunk.toString()); done(); } }));
  // Polled often: a test waits for the inbox to refresh, never for a fixed time.
  const live = new LiveHub(web, logger, 200);
  const app = await buildWebApp({
    store: web, live, logger, ...(options.now ? { now: options.now } : {}),
    signInLimit: options.signInLimit ?? { max: 1000, timeWindowMs: 60_000 },
    ...(options.idleMs ? { idleMs: options.idleMs } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  live.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`, store, web, app, live, logLines,
    async close() {
      live.stop();
      web.stop();
      await app.close();
      await dropTestStore(store);
    },
  };
}
