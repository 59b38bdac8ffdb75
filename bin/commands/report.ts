import type { Command } from 'commander';
import { formatOf, loadMonthlyReport, writeReport } from '../../reports/monthly.js';
import { monthPeriod, previousMonth } from '../../reports/monthly-figures.js';
import { CliError } from '../cli-error.js';
import { withStore } from '../with-store.js';

export function register(program: Command): void {
  const report = program.command('report').description('reports for the head of administration (003 [13])');
  report
    .command('monthly')
    .description('the monthly analysis of citizens\' messages: counts, terms met and missed, answer times, rejections, repeats, top problems, with charts; PDF or HTML by the extension of --out')
    .option('--tenant <name>', 'the tenant (may be omitted when the store holds only one)')
    .option('--month <yyyy-mm>', 'the month, e.g. 2026-10 (default: the previous month in the tenant\'s time zone)')
    .requiredOption('--out <file>', 'where to write the report: FILE.pdf or FILE.html')
    .action(async (options: { tenant?: string; month?: string; out: string }) => {
      try {
        formatOf(options.out);
        if (options.month) monthPeriod(options.month, 'UTC');
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error), 2);
      }
      await withStore(async (store) => {
        const tenants = await store.tenants.list();
        const name = options.tenant ?? (tenants.length === 1 ? tenants[0]!.name : undefined);
        if (!name) throw new CliError(`Укажите --tenant: в хранилище ${tenants.length === 0 ? 'нет муниципалитетов' : `несколько муниципалитетов (${tenants.map((t) => t.name).join(', ')})`}`, 2);
        const tenant = tenants.find((t) => t.name === name);
        if (!tenant) throw new CliError(`Муниципалитет «${name}» не найден`, 2);
        const now = new Date();
        const month = options.month ?? previousMonth(now, tenant.timeZone);
        const monthly = await loadMonthlyReport(store, name, month, now);
        await writeReport(monthly, options.out);
        console.error(`${monthly.title}: отчёт за ${monthly.periodLabel} записан в ${options.out} (сообщений: ${monthly.figures.total})`);
      });
    });
}
