import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { absenceSchema } from '../../config/tenant-schema.js';
import { SettingsError } from '../../store/errors.js';
import { ABSENCE_LABELS } from '../../workflow/routing.js';
import { CliError } from '../cli-error.js';
import { tenantOrOnly } from '../tenant-option.js';
import { withStore } from '../with-store.js';

/**
 * `otklik staff absence add`: a period when an executor is away (illness, leave, travel,
 * study — 000 [5], 001 [6]) and who stands in. Added to the `staff` group that
 * bin/commands/tenant.ts registers (import/export), so both live under one name.
 */
export function register(program: Command): void {
  const staff = program.commands.find((c) => c.name() === 'staff') ?? program.command('staff').description('staff');
  const absence = staff.command('absence').description('periods of absence, when the deputy gets the incidents');
  absence
    .command('add')
    .argument('<code>', 'the staff member\'s code')
    .requiredOption('--from <date>', 'first day away, YYYY-MM-DD (the municipality\'s local day)')
    .requiredOption('--to <date>', 'last day away, YYYY-MM-DD, included')
    .requiredOption('--reason <reason>', `one of ${Object.keys(ABSENCE_LABELS).join(', ')}`)
    .option('--deputy <code>', 'who stands in (is also recorded as the person\'s deputy); default: the deputy on record')
    .option('-t, --tenant <name>', 'the municipality (may be left out when there is only one)')
    .description('adds a period of absence; routing then skips the person and gives their incidents to the deputy')
    .action(async (code: string, options: { from: string; to: string; reason: string; deputy?: string; tenant?: string }) => {
      // The file schema checks the shape of a day; here the day must also exist (no 13th month).
      for (const [flag, value] of [['from', options.from], ['to', options.to]] as const) {
        if (!DateTime.fromISO(value).isValid) throw new CliError(`--${flag}: «${value}» — нет такой даты, нужен ГГГГ-ММ-ДД`);
      }
      const parsed = absenceSchema.safeParse({ from: options.from, to: options.to, reason: options.reason });
      if (!parsed.success) {
        throw new CliError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'absence')}: ${i.message}`).join('\n'));
      }
      await withStore(async (store) => {
        const tenant = await tenantOrOnly(store, options.tenant);
        try {
          const added = await store.tenants.addAbsence(tenant, code, { ...parsed.data, ...(options.deputy ? { deputy: options.deputy } : {}) });
          const days = Math.round(DateTime.fromISO(parsed.data.to).diff(DateTime.fromISO(parsed.data.from), 'days').days) + 1;
          process.stdout.write(`${code}: ${ABSENCE_LABELS[parsed.data.reason]} ${parsed.data.from} — ${parsed.data.to} (${days} дн.); замещает: ${added.deputy ?? 'никто (назначьте --deputy: иначе обращения пойдут другим исполнителям отдела)'}\n`);
        } catch (error) {
          if (error instanceof SettingsError) throw new CliError(error.message);
          throw error;
        }
      });
    });
}
