import type { Command } from 'commander';
import { readAdminFile } from '../../config/admin-file.js';
import { officeHoursForFile } from '../../config/tenant-schema.js';
import { setProfileOverrides, tenantProfile, type TenantProfile } from '../../store/tenant-settings.js';
import { isPresetId, PRESET_IDS, ProfileError, profileOverridesSchema, STEPS, type Anchor, type Figure } from '../../workflow/profiles.js';
import type { Term } from '../../workflow/terms.js';
import { STEP_LABELS } from '../../workers/staff-bot/texts.js';
import { CliError } from '../cli-error.js';
import { tenantOrOnly } from '../tenant-option.js';
import { withStore } from '../with-store.js';

const ANCHOR_LABELS: Readonly<Record<Anchor, string>> = {
  posted: 'публикации сообщения', detected: 'выявления', 'handed-over': 'передачи исполнителю', 'draft-submitted': 'представления проекта',
  returned: 'возврата на доработку', approved: 'согласования', 'interim-answer': 'промежуточного ответа',
  'clarification-published': 'публикации запроса уточнения',
};

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} ч` : '', m ? `${m} мин` : ''].filter(Boolean).join(' ') || '0 мин';
}

function term(t: Term): string {
  switch (t.kind) {
    case 'working-hours': return `${duration(t.minutes)} рабочего времени`;
    case 'working-day-hours': return `${duration(t.minutes)} (часы рабочих дней)`;
    case 'working-days': return `${t.days} раб. дн.`;
    case 'clock': return `${duration(t.minutes)} (календарные)`;
  }
}

function figure(f: Figure | null): string {
  if (f === null) return 'не установлен';
  const what = 'term' in f ? `${term(f.term)} от ${ANCHOR_LABELS[f.from]}` : `за ${term(f.before)} до срока ответа`;
  return `${what} [${f.clause}]${f.reading ? ` — толкование: ${f.reading}` : ''}`;
}

function print(t: TenantProfile, tenant: string): void {
  const p = t.profile;
  const out = [
    `${tenant}: регламент ${p.id} — ${p.title} (${p.regulation})`,
    `Часовой пояс: ${p.timeZone}`,
    `Рабочее время: ${JSON.stringify(officeHoursForFile(p.officeHours))} — ${p.officeHoursClause}`,
    ...(p.sameDayHandover ? [`Передача в день поступления перед выходным: до ${p.sameDayHandover.cutoff} [${p.sameDayHandover.clause}]`] : []),
    'Сроки (обычная важность / повышенная):',
    ...STEPS.map((s) => `  ${STEP_LABELS[s]}: ${figure(p.steps[s].normal)}${JSON.stringify(p.steps[s].high) === JSON.stringify(p.steps[s].normal) ? '' : `\n    повышенная: ${figure(p.steps[s].high)}`}`),
    `Переопределения администрации: ${JSON.stringify(t.overrides)}`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

/** `otklik profile show|set`: the regulation profile a tenant's deadlines are computed by. */
export function register(program: Command): void {
  const profile = program.command('profile').description('a municipality\'s regulation profile: its terms with the clauses they come from');
  profile
    .command('show')
    .option('-t, --tenant <name>', 'the municipality (may be left out when there is only one)')
    .option('--json', 'the resolved profile as JSON')
    .description('the resolved profile: the preset, the municipality\'s overrides, office hours and time zone')
    .action(async (options: { tenant?: string; json?: boolean }) => {
      await withStore(async (store) => {
        const tenant = await tenantOrOnly(store, options.tenant);
        const t = await tenantProfile(store, tenant);
        if (options.json) process.stdout.write(JSON.stringify({ tenant, preset: t.presetId, overrides: t.overrides, profile: t.profile }) + '\n');
        else print(t, tenant);
      });
    });
  profile
    .command('set')
    .argument('<file>', '.yaml/.yml with the overrides: { steps: { answer: { normal: { term: { kind: working-hours, minutes: 480 }, from: detected, clause: "…" } } }, officeHours, sameDayHandover }')
    .option('-t, --tenant <name>', 'the municipality (may be left out when there is only one)')
    .option('--preset <id>', `switch the preset too: ${PRESET_IDS.join(', ')}`)
    .description('replaces the municipality\'s overrides with the file\'s (checked field by field before anything is stored); prints the result')
    .action(async (file: string, options: { tenant?: string; preset?: string }) => {
      if (options.preset !== undefined && !isPresetId(options.preset)) throw new CliError(`--preset: «${options.preset}» — известны ${PRESET_IDS.join(', ')}`);
      const overrides = readAdminFile(file, profileOverridesSchema);
      await withStore(async (store) => {
        const tenant = await tenantOrOnly(store, options.tenant);
        try {
          print(await setProfileOverrides(store, tenant, overrides, options.preset), tenant);
        } catch (error) {
          if (error instanceof ProfileError) throw new CliError(`${file}: ${error.message}`);
          throw error;
        }
      });
    });
}
