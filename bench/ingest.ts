import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import { openStore, redactUri, type Store } from '../store/connection.js';
import { startEmbeddedStore, type EmbeddedStore } from '../store/embedded/server.js';
import { pollOnce } from '../connectors/poll.js';
import type { NetworkConnector } from '../connectors/connector.js';
import { MemoryAttemptLog } from '../connectors/connector.js';
import { VkClient } from '../connectors/vk/client.js';
import { VkConnector } from '../connectors/vk/connector.js';
import { TelegramClient } from '../connectors/telegram/client.js';
import { TelegramConnector } from '../connectors/telegram/connector.js';
import { OkClient } from '../connectors/ok/client.js';
import { OkConnector } from '../connectors/ok/connector.js';
import { MaxClient } from '../connectors/max/client.js';
import { MaxConnector } from '../connectors/max/connector.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/state.js';
import type { Network } from '../connectors/types.js';

/**
 * Ingest throughput against the sandbox: for each network, N scripted messages are put
 * in the sandbox, then this process (the connector worker) polls them with the real
 * client library, the connector's own rate limits, and stores them in the embedded store
 * (or MONGODB_URI). Prints messages per second, API requests per 1,000 messages (as the
 * sandbox counted them), and this process's resident memory.
 *   node --import tsx bench/ingest.ts [N per network, default 2000]
 */
const N = Number(process.argv[2] ?? 2000);
const here = path.dirname(fileURLToPath(import.meta.url));
const TENANT = 'bench';

function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

function heapMb(): number {
  return Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
}

async function startSandboxProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../sandbox/server.ts'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return { url: (JSON.parse(line) as { sandbox: string }).sandbox, child };
}


function connectorFor(network: Network, sandboxUrl: string): NetworkConnector<unknown> {
  switch (network) {
    case 'vk': {
      const client = new VkClient({ token: SANDBOX_CREDENTIALS.vk.token, tokenKind: 'community', apiBaseUrl: `${sandboxUrl}/vk/method` });
      return new VkConnector({ accountId: 'bench', groupId: SANDBOX_CREDENTIALS.vk.groupId, client, keywords: ['администрац'], longPollWaitSec: 1 }) as NetworkConnector<unknown>;
    }
    case 'telegram': {
      const client = new TelegramClient({ token: SANDBOX_CREDENTIALS.telegram.token, baseApiUrl: `${sandboxUrl}/tg`, longPollWaitSec: 1 });
      return new TelegramConnector({ accountId: 'bench', client, attempts: new MemoryAttemptLog(), discussionChatIds: [String(SANDBOX_CREDENTIALS.telegram.discussionChatId)], keywords: ['администрац'] }) as NetworkConnector<unknown>;
    }
    case 'ok': {
      const { applicationKey, applicationSecretKey, accessToken, groupId } = SANDBOX_CREDENTIALS.ok;
      const client = new OkClient({ applicationKey, applicationSecretKey, accessToken, baseUrl: `${sandboxUrl}/ok` });
      return new OkConnector({ accountId: 'bench', groupId, client, attempts: new MemoryAttemptLog(), keywords: ['администрац'] }) as NetworkConnector<unknown>;
    }
    case 'max': {
      const client = new MaxClient({ token: SANDBOX_CREDENTIALS.max.token, baseUrl: `${sandboxUrl}/max`, longPollWaitSec: 1 });
      return new MaxConnector({ accountId: 'bench', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: ['администрац'] }) as NetworkConnector<unknown>;
    }
  }
}

async function sandboxRequests(url: string, network: Network): Promise<number> {
  return (await axios.get<{ requests: Record<Network, number> }>(`${url}/_sandbox/stats`)).data.requests[network];
}

async function measure(network: Network, sandboxUrl: string, store: Store): Promise<string> {
  const connector = connectorFor(network, sandboxUrl);
  const sink = store.ingest;
  // The first poll takes the starting point ("now"); what is emitted after it is the load.
  await pollOnce(connector, sink, TENANT);
  await axios.post(`${sandboxUrl}/_sandbox/emit`, { network, count: N });
  const requestsBefore = await sandboxRequests(sandboxUrl, network);
  const startedMs = performance.now();
  let inserted = 0;
  let rejected = 0;
  let polls = 0;
  // Every scripted message is addressed to the administration, so all N are expected; an
  // empty poll or two minutes end the run early if some were not.
  const deadlineMs = startedMs + 120_000;
  for (;;) {
    const outcome = await pollOnce(connector, sink, TENANT);
    polls += 1;
    inserted += outcome.inserted;
    rejected += outcome.rejected;
    if (inserted >= N || (!outcome.more && outcome.inserted === 0 && polls > 1) || performance.now() > deadlineMs) break;
  }
  const elapsedSec = (performance.now() - startedMs) / 1000;
  const requests = (await sandboxRequests(sandboxUrl, network)) - requestsBefore;
  return `${network.padEnd(8)} ${String(inserted).padStart(6)} stored of ${N} emitted (${rejected} rejected) in ${elapsedSec.toFixed(2)} s: ${(inserted / elapsedSec).toFixed(0).padStart(6)} messages/s, ${(requests * 1000 / Math.max(inserted, 1)).toFixed(1).padStart(6)} API requests per 1,000 messages, rss ${rssMb()} MiB (heap ${heapMb()} MiB)`;
}

let embedded: EmbeddedStore | undefined;
let sandboxChild: ChildProcess | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-bench-ingest-'));
try {
  const uri = process.env.MONGODB_URI ?? (embedded = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: 256 })).uri;
  const store = await openStore({ uri, dbName: `bench_ingest_${Date.now()}` });
  const sandbox = await startSandboxProcess();
  sandboxChild = sandbox.child;
  console.log(`bench/ingest.ts: ${N} messages per network; node ${process.version}; ${os.cpus().length} cores; store ${redactUri(uri)}; rss at start ${rssMb()} MiB (heap ${heapMb()} MiB; mongoose, vk-io, axios and request loaded)`);
  console.log('Rate limits are the connectors\' own (VK 20/s community token, Telegram 30/s, OK 3/s, MAX 30/s); the sandbox answers at once.');
  for (const network of ['vk', 'telegram', 'ok', 'max'] as const) console.log(await measure(network, sandbox.url, store));
  await store.maintenance.dropDatabase();
  await store.close();
} finally {
  sandboxChild?.kill('SIGTERM');
  await embedded?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
