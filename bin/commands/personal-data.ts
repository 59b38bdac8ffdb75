import type { Command } from 'commander';
import mongoose from 'mongoose';
import type { AuthorRef } from '../../store/port.js';
import { CliError } from '../cli-error.js';
import { tenantOrOnly } from '../tenant-option.js';
import { withStore } from '../with-store.js';

/**
 * `otklik personal-data`: what is held about one author (export), its erasure on the
 * author's request (erase), and the tenant's retention period (retention), under 152-ФЗ and
 * 004 [1.4]. An author is named as the network has them: `--network vk --author 12345`.
 */
const NETWORKS = ['vk', 'ok', 'telegram'];

interface AuthorOptions {
  tenant?: string;
  network: string;
  author: string;
}

function authorCommand(group: Command, name: string, description: string): Command {
  return group
    .command(name)
    .description(description)
    .requiredOption('--author <id>', 'the author\'s id in the network (as in `otklik incident show`)')
    .requiredOption('--network <network>', NETWORKS.join(', '))
    .option('-t, --tenant <name>', 'the municipality (may be left out when there is only one)');
}

async function authorOf(options: AuthorOptions, tenant: string): Promise<AuthorRef> {
  if (!NETWORKS.includes(options.network)) throw new CliError(`--network: «${options.network}» — нужна одна из сетей ${NETWORKS.join(', ')}`);
  if (options.author.trim() === '') throw new CliError('--author: укажите идентификатор автора в сети');
  return { tenant, network: options.network, authorId: options.author.trim() };
}

export function register(program: Command): void {
  const group = program.command('personal-data').description('authors\' personal data (152-ФЗ): export, erasure on request, retention');

  authorCommand(group, 'export', 'prints, as JSON, everything held about one author: messages with their raw payloads, incidents, who of the staff read them')
    .action(async (options: AuthorOptions) => {
      await withStore(async (store) => {
        const author = await authorOf(options, await tenantOrOnly(store, options.tenant));
        const data = await store.personalData.exportAuthor(author);
        process.stdout.write(`${mongoose.mongo.BSON.EJSON.stringify(data, undefined, 2, { relaxed: true })}\n`);
        if (data.messages.length === 0) console.error(`Об авторе ${author.network}:${author.authorId} в муниципалитете ${author.tenant} ничего не хранится.`);
      });
    });

  authorCommand(group, 'erase', 'replaces the author\'s name, profile, id, message texts and raw payloads; incidents stay with their figures')
    .action(async (options: AuthorOptions) => {
      await withStore(async (store) => {
        const author = await authorOf(options, await tenantOrOnly(store, options.tenant));
        const counts = await store.personalData.eraseAuthor(author, new Date());
        if (counts.messages === 0) {
          console.log(`Об авторе ${author.network}:${author.authorId} в муниципалитете ${author.tenant} ничего не хранится: удалять нечего.`);
          return;
        }
        console.log(`Данные автора ${author.network}:${author.authorId} удалены: сообщений ${counts.messages}, обращений ${counts.incidents} (остались в отчётах без автора), записей во входящих ${counts.inboxEntries}.`);
      });
    });

  group
    .command('retention')
    .description('shows or sets after how many days authors\' data and raw payloads are anonymised (the watcher\'s daily job)')
    .option('--days <n>', 'days after fetching; "off" keeps them')
    .option('-t, --tenant <name>', 'the municipality (may be left out when there is only one)')
    .action(async (options: { days?: string; tenant?: string }) => {
      await withStore(async (store) => {
        const tenant = await tenantOrOnly(store, options.tenant);
        if (!(await store.tenants.list()).some((t) => t.name === tenant)) throw new CliError(`нет муниципалитета «${tenant}»`);
        if (options.days !== undefined) {
          const days = options.days === 'off' ? null : /^\d{1,5}$/.test(options.days) && Number(options.days) >= 1 ? Number(options.days) : undefined;
          if (days === undefined) throw new CliError(`--days: «${options.days}» — нужно целое число дней от 1 или off`);
          await store.personalData.setRetentionDays(tenant, days);
        }
        const days = await store.personalData.retentionDays(tenant);
        console.log(days === null
          ? `${tenant}: срок хранения персональных данных не задан — данные авторов хранятся без ограничения срока.`
          : `${tenant}: данные авторов и исходные ответы сетей обезличиваются через ${days} дн. после получения (закрытые обращения; цифры отчётов сохраняются).`);
      });
    });
}
