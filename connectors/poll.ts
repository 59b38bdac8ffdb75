import type { Network, NormalizedMessage } from './types.js';
import type { NetworkConnector, RejectedPayload } from './connector.js';
import { GaveUp, realSleep, type Sleep } from './retry.js';
import { redactSecrets } from './redact.js';

/**
 * What the poll loop needs from the store. The worker binds the lead's store functions
 * (loadCursor, saveCursor, ingestMessages, the aside collection) to this shape, so
 * connectors/ never imports store/ (STYLE 6).
 */
export interface IngestStore {
  loadCursor(tenantId: string, network: Network, accountId: string): Promise<unknown>;
  saveCursor(tenantId: string, network: Network, accountId: string, cursor: unknown): Promise<void>;
  ingestMessages(tenantId: string, messages: readonly NormalizedMessage[], accountId: string): Promise<{ readonly inserted: number; readonly duplicates: number }>;
  putAside(tenantId: string, rejected: readonly RejectedPayload[]): Promise<void>;
}

export interface PollLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface PollOutcome {
  readonly inserted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** Cursor values refused (each also among `rejected`). */
  readonly refused: number;
  readonly requests: number;
  readonly more: boolean;
  /** The fetch was a long poll the network held open: the next follows without a pause. */
  readonly waited: boolean;
}

/**
 * One fetch since the stored cursor. The cursor is saved last: a crash after the
 * messages are stored re-fetches them, and the unique index turns them into duplicates
 * instead of double incidents.
 */
export async function pollOnce<C>(connector: NetworkConnector<C>, store: IngestStore, tenantId: string, logger?: PollLogger): Promise<PollOutcome> {
  const stored = await store.loadCursor(tenantId, connector.network, connector.accountId);
  const cursor = stored === null || stored === undefined ? null : connector.parseCursor(stored);
  if (stored !== null && stored !== undefined && cursor === null) {
    logger?.warn({ tenantId, network: connector.network, accountId: connector.accountId }, 'stored cursor unreadable, starting from now');
  }
  const batch = await connector.fetchSince(cursor);
  const counts = batch.messages.length > 0 ? await store.ingestMessages(tenantId, batch.messages, connector.accountId) : { inserted: 0, duplicates: 0 };
  for (const refusal of batch.refused ?? []) {
    logger?.error({ tenantId, ...refusal.toLog() }, 'refused a cursor value from the network; the item is set aside and the cursor stays');
  }
  if (batch.rejected.length > 0) {
    for (const item of batch.rejected) {
      logger?.warn({ tenantId, network: item.network, accountId: item.accountId, reason: item.reason }, 'malformed payload stored aside');
    }
    await store.putAside(tenantId, batch.rejected);
  }
  await store.saveCursor(tenantId, connector.network, connector.accountId, batch.cursor);
  return { inserted: counts.inserted, duplicates: counts.duplicates, rejected: batch.rejected.length, refused: batch.refused?.length ?? 0, requests: batch.requests, more: batch.more, waited: batch.waited === true };
}

export interface PolledAccount {
  readonly tenantId: string;
  readonly connector: NetworkConnector<unknown>;
}

export type AccountState = 'running' | 'stopped' | 'config-error';

export interface PollLoopOptions {
  readonly store: IngestStore;
  readonly accounts: readonly PolledAccount[];
  readonly signal: AbortSignal;
  /** Pause between fetches when the API had nothing more. */
  readonly idleMs: number;
  /** Pause after a fetch that failed even after its retries. */
  readonly failurePauseMs: number;
  readonly logger?: PollLogger;
  readonly sleep?: Sleep;
  readonly onPoll?: (account: PolledAccount, outcome: PollOutcome) => void;
}

/**
 * One awaited loop per account. A configuration error (invalid token, revoked
 * permissions) stops that account's loop with a log line naming the tenant and the
 * account; the other accounts go on, and nothing restarts itself in a catch.
 */
/** The pause after a long poll that brought a partial page. */
export const GATHER_MS = 100;

export async function runPollLoops(options: PollLoopOptions): Promise<Map<PolledAccount, AccountState>> {
  const states = new Map<PolledAccount, AccountState>(options.accounts.map((account) => [account, 'running']));
  const sleep = options.sleep ?? realSleep;
  await Promise.all(options.accounts.map(async (account) => {
    const fields = { tenantId: account.tenantId, network: account.connector.network, accountId: account.connector.accountId };
    while (!options.signal.aborted) {
      let pauseMs = options.idleMs;
      try {
        const outcome = await pollOnce(account.connector, options.store, account.tenantId, options.logger);
        options.onPoll?.(account, outcome);
        if (outcome.more) pauseMs = 0;
        // A long poll that waited and brought nothing: poll again at once (the network holds
        // the next one). One that brought a few: a moment for more to gather, so a busy
        // account fetches pages rather than one message per round trip.
        else if (outcome.waited) pauseMs = outcome.inserted + outcome.duplicates + outcome.rejected > 0 ? Math.min(options.idleMs, GATHER_MS) : 0;
      } catch (error) {
        if (error instanceof GaveUp && error.decision.kind === 'config') {
          options.logger?.error({ ...fields, error: error.message }, 'account misconfigured, polling stopped for this account');
          states.set(account, 'config-error');
          return;
        }
        // Anything else (API down after retries, the store unreachable) is logged and
        // retried on the next round; the cursor was not advanced, so nothing is lost. A
        // wait the network asked for is kept exactly.
        const askedMs = error instanceof GaveUp && error.decision.kind === 'rate-limited' ? error.decision.waitMs : undefined;
        // The API's own hint goes in the log as it came, next to the wait actually kept.
        const hintSec = error instanceof GaveUp ? error.error.retryAfterSec : undefined;
        const detail = {
          ...fields, error: redactSecrets(error instanceof Error ? error.message : String(error)),
          ...(askedMs === undefined ? {} : { waitMs: askedMs }),
          ...(hintSec === undefined ? {} : { retryAfterSec: hintSec }),
          ...(error instanceof GaveUp && error.decision.kind === 'rate-limited' && error.decision.clamped !== undefined ? { waitClamped: true } : {}),
        };
        // A refusal of the account's own feed (access denied, a disabled Long Poll) will not
        // pass by itself: it is logged as an error for the admin, and polling keeps trying.
        if (error instanceof GaveUp && error.decision.kind === 'permanent') options.logger?.error(detail, 'the network refuses this account\'s feed, will try again');
        else options.logger?.warn(detail, 'poll failed, will try again');
        // Never faster than the loop's normal rate, whatever the network asked for (the
        // wait itself is already held to at most an hour by the decision).
        pauseMs = Math.max(options.idleMs, askedMs ?? options.failurePauseMs);
      }
      if (pauseMs > 0 && !options.signal.aborted) await sleepUnlessAborted(sleep, pauseMs, options.signal);
    }
    states.set(account, 'stopped');
  }));
  return states;
}

async function sleepUnlessAborted(sleep: Sleep, ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const onAbort = (): void => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(() => { signal.removeEventListener('abort', onAbort); resolve(); }, () => resolve());
  });
}
