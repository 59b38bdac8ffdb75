import { idleWorker, runWorker } from './harness.js';

const network = process.argv[3] ?? '';
if (!['vk', 'ok', 'telegram'].includes(network)) {
  console.error(`usage: workers/launch.js connector vk|ok|telegram (got ${JSON.stringify(network)})`);
  process.exit(2);
}
await runWorker(idleWorker(`connector-${network}`, 'polling the network arrives with issue 6'));
