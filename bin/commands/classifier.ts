import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { withStore } from '../with-store.js';

export function register(program: Command): void {
  const classifier = program.command('classifier').description('the classifier\'s model versions');
  classifier
    .command('retrain')
    .description(
      'retrains the topic model of a tenant (or every tenant) from its curator corrections; the new version is kept only ' +
        'when it scores at least as well as the current one on the held-back corrections. Prints one JSON line per tenant.',
    )
    .option('--tenant <name>', 'one tenant by name')
    .option('--all', 'every tenant')
    .action(async (options: { tenant?: string; all?: boolean }) => {
      if ((options.tenant === undefined) === !options.all) throw new CliError('give either --tenant <name> or --all');
      await withStore(async (store) => {
        const names = options.all ? (await store.tenants.list()).map((t) => t.name) : [options.tenant!];
        for (const tenant of names) {
          const r = await store.classifier.retrain(tenant, new Date());
          process.stdout.write(JSON.stringify({
            tenant,
            accepted: r.accepted,
            version: r.model.version,
            corrections: r.model.corrections,
            heldBack: r.heldBack,
            candidateAccuracy: r.candidateAccuracy,
            currentAccuracy: r.currentAccuracy,
          }) + '\n');
        }
      });
    });
}
