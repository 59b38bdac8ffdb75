import { createHash } from 'node:crypto';
import { buildConnector, AccountSetupError } from '../connectors/factory.js';
import type { PolledAccount } from '../connectors/poll.js';
import { runPollLoops } from '../connectors/poll.js';
import { NETWORKS, type Network } from '../connectors/types.js';
import { environmentFor } from './accounts.js';
import type { WorkerContext, WorkerDefinition } from './harness.js';

/**
 * The connectors: poll every tenant account of the given networks (all of them by default)
 * from its stored cursor and store what they find (where a message enters). One process
 * serves every network — the work is waiting on the networks, and a process per network
 * only cost memory. Accounts are re-read every half minute, so an admin's
 * `tenant import` takes effect without a restart.
 */
const asked = process.argv.slice(3);
const unknown = asked.filter((n) => !(NETWORKS as readonly string[]).includes(n));
if (unknown.length > 0) {
  console.error(`usage: workers/launch.js connector [${NETWORKS.join(' ')}] (unknown: ${unknown.join(', ')})`);
  process.exit(2);
}
const networks = (asked.length > 0 ? asked : [...NETWORKS]) as Network[];
// Cheap (one query per tenant), and an admin's change shows within half a minute.
const RELOAD_EVERY_MS = 30 * 1000;

async function main(context: WorkerContext): Promise<void> {
  await Promise.all(networks.map((network) => pollNetwork(context, network)));
}

async function pollNetwork({ store, log, signal, sleep }: WorkerContext, network: Network): Promise<void> {
  const attempts = store.publication.attemptLog;
  while (!signal.aborted) {
    const entries = await store.tenants.accounts(network);
    const fingerprint = createHash('sha1').update(JSON.stringify(entries)).digest('hex');
    const accounts: PolledAccount[] = [];
    for (const entry of entries) {
      try {
        // A long poll shorter than pm2's kill_timeout (20 s), so a stop never cuts one off.
        accounts.push({ tenantId: entry.tenant, connector: buildConnector(entry.account, { env: environmentFor(entry), keywords: entry.keywords, attempts, longPollWaitSec: 10 }) });
      } catch (error) {
        if (!(error instanceof AccountSetupError)) throw error;
        // One misconfigured account must not stop the others (issue 6).
        log.error({ tenant: entry.tenant, account: entry.account.name }, error.message);
      }
    }
    log.info({ accounts: accounts.map((a) => `${a.tenantId}/${a.connector.accountId}`) }, `polling ${accounts.length} ${network} account(s)`);
    // Poll until stopped, or until the reload timer finds the accounts changed.
    const round = new AbortController();
    const onStop = () => round.abort();
    signal.addEventListener('abort', onStop, { once: true });
    const reload = setInterval(() => {
      void store.tenants.accounts(network)
        .then((now) => {
          if (createHash('sha1').update(JSON.stringify(now)).digest('hex') !== fingerprint) {
            log.info('accounts changed: reloading');
            round.abort();
          }
        })
        .catch((error: unknown) => log.warn({ err: error }, 'could not re-read the accounts'));
    }, RELOAD_EVERY_MS);
    try {
      if (accounts.length === 0) await sleep(RELOAD_EVERY_MS);
      else {
        const states = await runPollLoops({
          store: store.ingest,
          accounts,
          signal: round.signal,
          idleMs: 1000,
          failurePauseMs: 30000,
          logger: log,
          onPoll: (account, outcome) => {
            if (outcome.inserted > 0 || outcome.rejected > 0) log.info({ tenant: account.tenantId, account: account.connector.accountId, ...outcome }, `stored ${outcome.inserted} new message(s)`);
          },
        });
        // Every account stopped on a configuration error: wait for the admin's fix.
        if (!round.signal.aborted && [...states.values()].every((state) => state === 'config-error')) await sleep(RELOAD_EVERY_MS);
      }
    } finally {
      clearInterval(reload);
      signal.removeEventListener('abort', onStop);
    }
  }
}

export const worker: WorkerDefinition = { role: asked.length === 1 ? `connector-${networks[0]}` : 'connector', serves: `${networks.join(', ')} accounts of every tenant`, main };
