import { buildConnector } from '../connectors/factory.js';
import type { NetworkConnector, PublishAttemptLog } from '../connectors/connector.js';
import { NETWORKS, type Network } from '../connectors/types.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/state.js';
import type { NetworkAccount, Store } from '../store/port.js';

/**
 * In sandbox mode (OTKLIK_SANDBOX_URL, set by ecosystem.config.js while the sandbox runs),
 * an account that points at the sandbox and has no secrets of its own uses the
 * sandbox's, so the example municipality works out of the box. Real accounts never
 * point at the sandbox and are unaffected. Shared by the connector and publisher workers.
 */
export function environmentFor(entry: NetworkAccount, env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const sandbox = env.OTKLIK_SANDBOX_URL;
  const a = entry.account;
  if (!sandbox || !a.apiBaseUrl?.startsWith(sandbox)) return env;
  const fill = (name: string | undefined, value: string): Record<string, string> => (name && !env[name] ? { [name]: value } : {});
  const c = SANDBOX_CREDENTIALS;
  return {
    ...env,
    ...(a.network === 'vk' ? fill(a.tokenEnv, c.vk.token) : {}),
    ...(a.network === 'telegram' ? fill(a.tokenEnv, c.telegram.token) : {}),
    ...(a.network === 'max' ? fill(a.tokenEnv, c.max.token) : {}),
    ...(a.network === 'ok' ? { ...fill(a.tokenEnv, c.ok.accessToken), ...fill(a.applicationKeyEnv, c.ok.applicationKey), ...fill(a.applicationSecretEnv, c.ok.applicationSecretKey) } : {}),
  };
}

// Accounts change only by an admin's import; a minute is how long such a change may take
// to reach the publisher, as it does for the connectors (workers/connector.ts).
const RELOAD_ACCOUNTS_MS = 60 * 1000;

/**
 * The publisher's connectors, one per tenant account, built on first use and rebuilt
 * when the accounts are re-read. `buildConnector` throws AccountSetupError for an
 * account that cannot be started (a missing secret): the publisher treats it as a
 * configuration problem of that answer only.
 */
export class PublishingConnectors {
  private accounts: NetworkAccount[] = [];
  private titles = new Map<string, { title: string; networks: string[] }>();
  private loadedAt = -Infinity;
  private readonly built = new Map<string, NetworkConnector<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly attempts: PublishAttemptLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly timeoutMs?: number,
  ) {}

  private async refresh(nowMs: number): Promise<void> {
    if (nowMs - this.loadedAt < RELOAD_ACCOUNTS_MS) return;
    const lists = await Promise.all(NETWORKS.map((n) => this.store.tenants.accounts(n)));
    this.accounts = lists.flat();
    this.titles = new Map((await this.store.tenants.list()).map((t) => [t.name, { title: t.title, networks: t.networks }]));
    this.built.clear();
    this.loadedAt = nowMs;
  }

  /** The account a message came through; for a message stored without one, the tenant's first account of that network. */
  async connectorFor(tenant: string, network: Network, accountName: string, nowMs = Date.now()): Promise<NetworkConnector<unknown> | null> {
    await this.refresh(nowMs);
    const ofNetwork = this.accounts.filter((a) => a.tenant === tenant && a.account.network === network);
    const entry = ofNetwork.find((a) => a.account.name === accountName) ?? (accountName === '' ? ofNetwork[0] : undefined);
    if (!entry) return null;
    const key = `${tenant}/${entry.account.name}`;
    let connector = this.built.get(key);
    if (!connector) {
      connector = buildConnector(entry.account, { env: environmentFor(entry, this.env), keywords: [], attempts: this.attempts, ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }) });
      this.built.set(key, connector);
    }
    return connector;
  }

  /** The tenant's title and the networks of its official accounts, for the private fallback text (001 [20]). */
  async tenantInfo(tenant: string, nowMs = Date.now()): Promise<{ title: string; networks: string[] } | null> {
    await this.refresh(nowMs);
    return this.titles.get(tenant) ?? null;
  }
}
