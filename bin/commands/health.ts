import type { Command } from 'commander';
import { SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import { calendarCoverage } from '../../workflow/calendar-coverage.js';
import { WORK_KINDS } from '../../store/models/work-item.js';
import { withStore } from '../with-store.js';

/**
 * `otklik health`: what an admin checks on a running system — the production calendar's
 * reach (warned 60 days before the last loaded year ends), work waiting in each queue, items
 * given up on, and what a crash left half-done (finished now). Exit 1 when something needs
 * the admin: a calendar about to run out or already run out, or dead letters.
 */
export function register(program: Command): void {
  program
    .command('health')
    .description('the calendar\'s reach, queues, dead letters and the store\'s consistency; exit 1 when an admin must act')
    .option('--json', 'one JSON object instead of the text')
    .action(async (options: { json?: boolean }) => {
      await withStore(async (store) => {
        const now = new Date();
        const calendar = SHIPPED_CALENDAR.with(await store.calendar.years());
        const tenants = await store.tenants.list();
        const coverage = calendarCoverage(now, calendar, tenants[0]?.timeZone ?? 'Europe/Moscow');
        const queues = Object.fromEntries(await Promise.all(WORK_KINDS.map(async (k) => [k, await store.work.pending(k)] as const)));
        const dead = await store.work.deadLetters();
        const repair = await store.maintenance.check();
        const needsAdmin = coverage.warn || dead.length > 0 || repair.problems.length > 0;
        if (options.json) {
          process.stdout.write(JSON.stringify({ store: store.description, calendar: coverage, queues, deadLetters: dead.length, repair, needsAdmin }) + '\n');
        } else {
          const lines = [`Хранилище: ${store.description}`];
          lines.push(coverage.warning ? `Календарь: ${coverage.warning}` : `Календарь: загружен по ${coverage.lastKnownYear} год (осталось ${coverage.daysLeft} дн.)`);
          lines.push(`Очереди: ${Object.entries(queues).map(([k, n]) => `${k} ${n}`).join(', ')}`);
          lines.push(dead.length > 0 ? `Отложено как неисполнимое: ${dead.length} (otklik work dead; повторить: otklik work retry)` : 'Отложенных как неисполнимые нет');
          if (repair.archived + repair.duplicatesRemoved > 0) lines.push(`Завершено после сбоя: перенесено в архив ${repair.archived}, убрано дублей ${repair.duplicatesRemoved}`);
          for (const p of repair.problems) lines.push(`Проблема: ${p}`);
          process.stdout.write(lines.join('\n') + '\n');
        }
        if (needsAdmin) process.exitCode = 1;
      });
    });
}
