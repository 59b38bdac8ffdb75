import { createHash } from 'node:crypto';
import { buildConnector, AccountSetupError } from '../connectors/factory.js';
import type { PolledAccount } from '../connectors/poll.js';
import { runPollLoops } from '../connectors/poll.js';
import type { Network } from '../connectors/types.js';
import { ingestStoreOf } from '../store/ingest-store.js';
import { storePublishAttemptLog } from '../store/publish-attempts.js';
import { loadNetworkAccounts } from '../store/tenant-config.js';
import { environmentFor } from './accounts.js';
import { runWorker, type WorkerContext } from './harness.js';

/**
 * One network's connector: polls every tenant account of that network from its stored
 * cursor and stores what it finds (where a message enters). Accounts are re-read every
 * half minute, so an admin's `tenant import` takes effect without a restart.
 */
const network = process.argv[3] ?? '';
if (network !== 'vk' && network !== 'ok' && network !== 'telegram') {
  console.error(`usage: workers/launch.js connector vk|ok|telegram (got ${JSON.stringify(network)})`);
  process.exit(2);
}
// Cheap (one query per tenant), and an admin's change shows within half a minute.
const RELOAD_EVERY_MS = 30 * 1000;

async function main({ store, log, signal, sleep }: WorkerContext): Promise<void> {
  const attempts = storePublishAttemptLog(store);
  while (!signal.aborted) {
    const entries = await loadNetworkAccounts(store, network);
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
      void loadNetworkAccounts(store, network)
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
          store: ingestStoreOf(store),
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

await runWorker({ role: `connector-${network}`, serves: `${network as Network} accounts of every tenant`, main });
