import type { Command } from 'commander';
import { WORK_KINDS } from '../../store/models/work-item.js';
import type { WorkKind } from '../../store/port.js';
import { CliError } from '../cli-error.js';
import { withStore } from '../with-store.js';

/**
 * `otklik work`: the queues and their dead letters — items the workers gave up on after
 * their attempts (a message that cannot be classified, an answer that cannot be published
 * for a reason no retry mends), kept with the last error until an admin puts them back.
 */
export function register(program: Command): void {
  const work = program.command('work').description('work queues and the items given up on (dead letters)');
  work
    .command('dead')
    .description('the dead letters: kind, tenant, what, attempts, the last error')
    .option('--kind <kind>', `one queue: ${WORK_KINDS.join(', ')}`)
    .option('--json', 'one JSON line each')
    .action(async (options: { kind?: string; json?: boolean }) => {
      const kind = parseKind(options.kind);
      await withStore(async (store) => {
        const dead = await store.work.deadLetters(kind);
        if (options.json) {
          for (const d of dead) process.stdout.write(JSON.stringify(d) + '\n');
          return;
        }
        if (dead.length === 0) console.log('Неисполнимых заданий нет.');
        for (const d of dead) console.log(`${d.id}\t${d.tenant}\t${d.ref}\tпопыток ${d.attempts}\t${d.buriedAt.toISOString()}\t${d.lastError ?? ''}`);
      });
    });
  work
    .command('retry')
    .description('puts dead letters back in their queue with their attempts reset')
    .argument('[ids...]', 'the ids `otklik work dead` prints')
    .option('--all', 'every dead letter (of --kind, if given)')
    .option('--kind <kind>', `one queue: ${WORK_KINDS.join(', ')}`)
    .action(async (ids: string[], options: { all?: boolean; kind?: string }) => {
      const kind = parseKind(options.kind);
      if ((ids.length === 0) === !options.all) throw new CliError('укажите номера заданий (otklik work dead) или --all');
      await withStore(async (store) => {
        const chosen = options.all ? (await store.work.deadLetters(kind)).map((d) => d.id) : ids;
        const back = await store.work.resurrect(chosen, new Date());
        console.log(`Возвращено в очередь: ${back} из ${chosen.length}`);
        if (back < chosen.length) process.exitCode = 1;
      });
    });
  work
    .command('pending')
    .description('items waiting in each queue')
    .action(async () => {
      await withStore(async (store) => {
        for (const k of WORK_KINDS) console.log(`${k}\t${await store.work.pending(k)}`);
      });
    });
}

function parseKind(kind: string | undefined): WorkKind | undefined {
  if (kind === undefined) return undefined;
  if (!(WORK_KINDS as readonly string[]).includes(kind)) throw new CliError(`--kind: «${kind}» — известны ${WORK_KINDS.join(', ')}`);
  return kind as WorkKind;
}
