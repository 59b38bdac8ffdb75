// pm2 process list: one process per role (DESIGN.md). Start with `npm start` (which also
// sets up the embedded store) or `npx pm2 start ecosystem.config.js`.
//
// ESM like the rest of the project: pm2 loads this file with require(), which on
// Node >= 20.19 returns the module's namespace, so the named export `apps` is what it reads.
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
// No token or password is passed to an app here: pm2 would keep it in each app's environment
// and `pm2 save` would write it to its dump. The workers read the secrets file themselves
// (config/secrets.ts); only whether it names a MongoDB is looked at, to leave out the store.
function secretNames() {
  try {
    return Object.keys(parseEnv(fs.readFileSync(path.resolve(root, process.env.OTKLIK_SECRETS_FILE || 'secrets.env'), 'utf8')));
  } catch {
    return [];
  }
}
const mongodbConfigured = Boolean(process.env.MONGODB_URI) || secretNames().includes('MONGODB_URI');
// The sandbox stands in for the four networks while no tenant has real tokens; accounts
// whose apiBaseUrl points at it use its credentials. OTKLIK_SANDBOX=off in production.
const sandboxOn = process.env.OTKLIK_SANDBOX !== 'off';
const sandboxPort = process.env.OTKLIK_SANDBOX_PORT ?? '8787';
const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
const logs = path.resolve(root, process.env.OTKLIK_LOG_DIR ?? 'logs');

// Compiled JavaScript (`npm run build`, which `npm start` runs): no loader in each process.
function worker(name, args, extra = {}) {
  return {
    name: `otklik-${name}`,
    cwd: root,
    script: 'dist/workers/launch.js',
    args,
    interpreter: 'node',
    // Time to finish or release the current lease and close the store before SIGKILL.
    kill_timeout: 20000,
    // A worker that keeps failing backs off instead of crash-looping.
    exp_backoff_restart_delay: 1000,
    max_memory_restart: '400M',
    out_file: path.join(logs, `${name}.log`),
    error_file: path.join(logs, `${name}.error.log`),
    merge_logs: true,
    time: false,
    env: { NODE_ENV: 'production', ...(sandboxOn ? { OTKLIK_SANDBOX_URL: sandboxUrl, OTKLIK_SANDBOX_PORT: sandboxPort } : {}) },
    ...extra,
  };
}

export const apps = [
  // The embedded store runs only when no real MongoDB is configured.
  ...(mongodbConfigured ? [] : [worker('store', ['store'], { max_memory_restart: undefined })]),
  ...(sandboxOn ? [worker('sandbox', ['sandbox'])] : []),
  // One process per kind of load: the connectors wait on the networks, the classifier uses
  // the CPU, and the publisher, the deadline watcher and the reports mostly wait on the store
  // and share a process (several of each may run on other machines: work goes by leases).
  worker('connector', ['connector']),
  worker('classifier', ['classifier']),
  worker('worker', ['publisher+watcher+reports']),
  worker('staff-bot', ['staff-bot']),
  worker('web', ['web']),
];

export default { apps };
