import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readAdminFile } from '../config/admin-file.js';
import { loadSettings } from '../config/settings.js';
import { loadSecretsInto, pm2Environment, secretsFilePath, type SecretsFile } from '../config/secrets.js';
import { tenantFileSchema } from '../config/tenant-schema.js';
import { openStoreWhenReady } from '../workers/harness.js';
import { createLogger } from '../config/logger.js';
import { setupEmbeddedStore } from '../store/embedded/setup.js';
import { printImportReport } from './commands/tenant.js';
import { webBaseUrl } from '../web/tokens.js';

/**
 * `npm start`: sets up the embedded store (unless MONGODB_URI is set), starts every
 * worker under pm2, loads the example municipality into an empty store, and says where
 * the data and the logs are.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The secrets file is read here too (MONGODB_URI may be in it), but pm2 gets an
// environment without any secret: it would copy them into every app and `pm2 save` into
// its dump (config/secrets.ts). Each worker reads the file itself when it starts.
let secrets: SecretsFile;
let pm2Env: NodeJS.ProcessEnv;
const secretsFile = secretsFilePath(process.env, root).file;
try {
  const shellEnv = { ...process.env };
  secrets = loadSecretsInto(process.env, root);
  pm2Env = pm2Environment(shellEnv, secrets, secretsFile);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const settings = loadSettings();
const pm2 = path.join(root, 'node_modules', '.bin', 'pm2');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\`${[path.basename(command), ...args].join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

try {
  if (!settings.mongodbUri) setupEmbeddedStore((line) => console.log(line));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
// The workers run compiled (dist/): built here, so a fresh clone and a pull both start what the sources say.
run(process.execPath, [path.join(root, 'bin', 'build.mjs')]);
fs.mkdirSync(path.join(root, 'logs'), { recursive: true });
// The store first, so that the example is loaded before the workers read their tenants.
if (!settings.mongodbUri) run(pm2, ['startOrReload', 'ecosystem.config.js', '--only', 'otklik-store', '--update-env'], pm2Env);

const controller = new AbortController();
const timer = setTimeout(() => controller.abort(), 60000);
const store = await openStoreWhenReady(createLogger('start', 'error'), controller.signal);
clearTimeout(timer);
if (!store) {
  console.error(`The store did not become reachable within 60 s. See ${path.join(root, 'logs', 'store.error.log')} and \`npx pm2 logs\`.`);
  process.exit(1);
}
try {
  if ((await store.tenants.list()).length === 0) {
    const example = path.join(root, 'examples', 'zarechensk.yaml');
    console.log(`The store has no municipality yet: loading the example ${path.relative(root, example)}`);
    printImportReport(await store.tenants.importFile(readAdminFile(example, tenantFileSchema)));
  }
  const tenants = await store.tenants.list();
  // The variables the tenants' accounts name are secrets whatever their names look like.
  const accountVariables = (await Promise.all((['vk', 'ok', 'telegram'] as const).map((n) => store.tenants.accounts(n)))).flat()
    .flatMap(({ account: a }) => [a.tokenEnv, a.userTokenEnv, a.applicationKeyEnv, a.applicationSecretEnv].filter((v): v is string => v !== undefined));
  try {
    pm2Env = pm2Environment(pm2Env, secrets, secretsFile, accountVariables);
  } catch (error) {
    // The store keeps running; the workers are not started with a token pm2 would save.
    console.error(error instanceof Error ? error.message : String(error));
    await store.close();
    process.exit(1);
  }
  // Every other process now; reloading the store as well would restart it for nothing.
  const ecosystem = (await import(pathToFileURL(path.join(root, 'ecosystem.config.js')).href)) as { apps: Array<{ name: string }> };
  const others = ecosystem.apps.map((app) => app.name).filter((name) => settings.mongodbUri || name !== 'otklik-store');
  run(pm2, ['startOrReload', 'ecosystem.config.js', '--only', others.join(','), '--update-env'], pm2Env);
  console.log('');
  console.log(`otklik is running under pm2 (${settings.mongodbUri ? 'MongoDB' : 'embedded store'}).`);
  console.log(`  store:   ${store.description}`);
  if (!settings.mongodbUri) console.log(`  data:    ${path.join(settings.dataDir, 'otklik.mv.db')} (server log: ${path.join(settings.dataDir, 'store.log')})`);
  console.log(`  logs:    ${path.join(root, 'logs')}/<role>.log   (live: npx pm2 logs)`);
  console.log(`  tenants: ${tenants.map((t) => `${t.name} [${t.networks.join(', ')}]`).join('; ')}`);
  console.log(`  staff:   ${webBaseUrl()}   (a password: ./bin/otklik staff password petrova; see README, «Рабочее место»)`);
  console.log('  status:  npx pm2 status        stop: npm stop');
} finally {
  await store.close();
}
