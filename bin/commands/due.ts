import type { Command } from 'commander';
import { DateTime } from 'luxon';
import type { DueItem } from '../../store/port.js';
import { DUE_SOON_MS } from '../../workers/deadline-watch.js';
import { localTime, STEP_LABELS } from '../../workers/staff-bot/texts.js';
import { CliError } from '../cli-error.js';
import { withStore } from '../with-store.js';

/**
 * `otklik due`: what is overdue and due soon, by department and person, so that an admin
 * or the head sees who answers for each term (000 [17], 003 [12]).
 */
export function register(program: Command): void {
  program
    .command('due')
    .description('terms overdue and due soon, by department and person (times in each tenant\'s zone)')
    .option('-t, --tenant <name>', 'one municipality; default: all')
    .option('--within-hours <n>', 'how far ahead "due soon" looks', String(DUE_SOON_MS / 3600000))
    .option('--now <iso>', 'the moment to count from (default: now)')
    .option('--json', 'one JSON line per term instead of the table')
    .action(async (options: { tenant?: string; withinHours: string; now?: string; json?: boolean }) => {
      const hours = Number(options.withinHours);
      if (!Number.isFinite(hours) || hours < 0) throw new CliError(`--within-hours: «${options.withinHours}» — не число часов`);
      const now = options.now ? new Date(options.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new CliError(`--now: «${options.now}» — не дата ISO 8601`);
      await withStore(async (store) => {
        const tenants = options.tenant ? [options.tenant] : (await store.tenants.list()).map((t) => t.name);
        for (const tenant of tenants) {
          const runtime = await store.tenants.runtime(tenant);
          const items = await store.deadlines.due(now, hours * 3600000, tenant);
          const person = (code: string | null) => (code === null ? 'Кураторы' : runtime.staff.find((s) => s.code === code)?.fullName ?? code);
          const department = (code: string | null) => (code === null ? 'Не распределено' : runtime.departments.find((d) => d.code === code)?.name ?? code);
          if (options.json) {
            for (const i of items) {
              process.stdout.write(JSON.stringify({
                tenant, number: i.number, state: i.stateLabel, step: i.step, stepLabel: STEP_LABELS[i.step], dueAt: localIso(i.dueAt, runtime.timeZone),
                overdue: i.overdue, department: i.department, departmentName: i.department ? department(i.department) : null,
                responsible: i.responsible, responsibleName: person(i.responsible), clause: i.clause, provisional: i.provisional, awaitsAuthor: i.awaitsAuthor,
              }) + '\n');
            }
            continue;
          }
          const lines = [`${runtime.title} (${tenant}, ${runtime.timeZone}): просрочено ${items.filter((i) => i.overdue).length}, истекает в ближайшие ${hours} ч: ${items.filter((i) => !i.overdue).length}`];
          const byDepartment = group(items, (i) => (i.responsible === null ? null : i.department));
          for (const [dept, deptItems] of byDepartment) {
            lines.push(`  ${dept === null && deptItems.every((i) => i.responsible === null) ? 'Кураторы' : department(dept)}`);
            for (const [who, own] of group(deptItems, (i) => i.responsible)) {
              if (who !== null) lines.push(`    ${person(who)}`);
              for (const i of own) {
                lines.push(`${who !== null ? '      ' : '    '}${i.overdue ? 'ПРОСРОЧЕНО' : 'скоро     '} № ${i.number} — ${STEP_LABELS[i.step]} до ${localTime(i.dueAt, runtime.timeZone)} (${i.stateLabel}${i.clause ? `; ${i.clause}` : ''}${i.provisional ? `; ${i.provisional}` : ''})`);
              }
            }
          }
          process.stdout.write(lines.join('\n') + '\n');
        }
      });
    });
}

function group<K>(items: readonly DueItem[], key: (i: DueItem) => K): Map<K, DueItem[]> {
  const out = new Map<K, DueItem[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}

function localIso(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISO({ suppressMilliseconds: true }) ?? at.toISOString();
}
