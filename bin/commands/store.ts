import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { openStore } from '../../store/connection.js';
import { checkStore } from '../../store/contract/checks.js';
import { verifyBackup } from '../../store/backup.js';
import { withStore } from '../with-store.js';
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli-error.js';

export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('the database: check that a MongoDB can be relied on; back it up, verify and restore a backup');
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

  store
    .command('backup')
    .description('write a logical backup of the whole database (gzipped JSON lines, mode 0600); safe on a running system')
    .argument('[file]', 'where to write it (default: backups/otklik-YYYYMMDD-HHMM.jsonl.gz)')
    .action(async (file: string | undefined) => {
      const target = path.resolve(file ?? path.join('backups', `otklik-${new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}.jsonl.gz`));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await withStore(async (db) => {
        console.log(`Резервная копия ${db.description} → ${target}`);
        const started = Date.now();
        const result = await db.maintenance.backup(target, (line) => console.log(`  ${line}`));
        const mb = fs.statSync(target).size / (1024 * 1024);
        console.log(`Готово: ${result.collections} коллекций, ${result.documents} документов, ${mb.toFixed(1)} МиБ за ${((Date.now() - started) / 1000).toFixed(1)} с. Проверить: otklik store verify ${target}`);
      });
    });
  store
    .command('verify')
    .description('read a backup through without a database: every collection complete, nothing cut off')
    .argument('<file>', 'the backup file')
    .action(async (file: string) => {
      const summary = await verifyBackup(path.resolve(file), (line) => console.log(`  ${line}`));
      console.log(`Копия цела: база ${summary.db} на ${summary.at}, ${summary.collections} коллекций, ${summary.documents} документов.`);
    });
  store
    .command('restore')
    .description('restore a backup into an empty database (MONGODB_URI / OTKLIK_DB_NAME, or a new OTKLIK_DATA_DIR), then queue again what it caught half-done')
    .argument('<file>', 'the backup file')
    .action(async (file: string) => {
      await withStore(async (db) => {
        console.log(`Восстановление ${path.resolve(file)} → ${db.description}`);
        const result = await db.maintenance.restore(path.resolve(file), (line) => console.log(`  ${line}`));
        console.log(`Восстановлено: ${result.collections} коллекций, ${result.documents} документов; сообщений снова в очереди на классификацию: ${result.requeuedMessages}.`);
      });
    });
}
