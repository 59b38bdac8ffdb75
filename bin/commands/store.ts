import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { openStore } from '../../store/connection.js';
import { checkStore } from '../../store/contract/checks.js';
import { CliError } from '../cli-error.js';

export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('the database: check that a MongoDB can be relied on');
  store
    .command('check')
    .description('run the store contract suite (atomic claims by two processes, unique indexes, aggregations, history, leases) in a scratch database, then drop it')
    .option('--uri <uri>', 'MongoDB to check (default: MONGODB_URI, else the embedded server)')
    .action(async (options: { uri?: string }) => {
      const settings = loadSettings();
      const dbName = `otklik_contract_${randomBytes(4).toString('hex')}`;
      const target = await openStore({ uri: options.uri, dbName, settings, embedded: 'if-not-running' });
      console.log(`Checking ${target.description} (scratch database, dropped afterwards)`);
      try {
        const results = await checkStore(target, target.maintenance.uri, (r) => console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms} ms)${r.ok ? `: ${r.detail}` : `\n     ${r.detail}`}`));
        const failed = results.filter((r) => !r.ok).length;
        console.log(`${results.length - failed} passed, ${failed} failed`);
        if (failed > 0) throw new CliError('This MongoDB does not meet what otklik needs: do not rely on it until the failures above are fixed.');
      } finally {
        await target.maintenance.dropDatabase().catch(() => undefined);
        await target.close();
      }
    });
}
