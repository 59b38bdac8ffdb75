import readline from 'node:readline';
import type { Command } from 'commander';
import { SHIPPED_CALENDAR, type ProductionCalendar } from '../../workflow/calendar.js';
import { answerDeadlineRequest, parseDeadlineRequest, type DeadlineAnswer, type TenantRegulation } from '../../workflow/deadline-request.js';
import { openStore, type Store } from '../../store/connection.js';

export function register(program: Command): void {
  program
    .command('deadline')
    .option('--offline', 'only the shipped calendar and presets, without the store (no "tenant" lines)')
    .description(
      'reads JSON lines {"profile":"krymsk","step":"answer","importance":"normal","from":"2025-11-28T15:00:00+03:00"} ' +
        '(or "tenant" instead of "profile" for a stored tenant\'s overrides) and writes one line each: ' +
        '{"due":"…"} in the profile\'s time zone, or {"error":"field: …"}. "from" is the instant the step counts from; ' +
        'for a step due "N hours before the answer" it is the instant the answer counts from.',
    )
    .action(async (options: { offline?: boolean }) => {
      let store: Store | undefined;
      let calendar: ProductionCalendar = SHIPPED_CALENDAR;
      const tenants = new Map<string, TenantRegulation | undefined>();
      // The store is opened once, on the first line, so that imported calendar years and
      // tenants are seen; --offline never opens it.
      const ensureStore = async (): Promise<Store> => {
        if (!store) {
          store = await openStore({ embedded: 'if-not-running' });
          calendar = SHIPPED_CALENDAR.with(await store.calendar.years());
        }
        return store;
      };
      const answer = async (line: string, lineNo: number): Promise<DeadlineAnswer> => {
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          return { error: `line ${lineNo}: not a JSON object` };
        }
        const request = parseDeadlineRequest(raw);
        if ('error' in request) return request;
        if (request.tenant !== undefined && options.offline) return { error: 'tenant: needs the store; run without --offline' };
        if (!options.offline) await ensureStore();
        let tenant: TenantRegulation | undefined;
        if (request.tenant !== undefined && store) {
          if (!tenants.has(request.tenant)) tenants.set(request.tenant, await store.tenants.regulation(request.tenant));
          tenant = tenants.get(request.tenant);
        }
        return answerDeadlineRequest(request, calendar, tenant);
      };
      try {
        const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
        let lineNo = 0;
        for await (const line of lines) {
          lineNo++;
          if (line.trim() === '') continue;
          process.stdout.write(JSON.stringify(await answer(line, lineNo)) + '\n');
        }
      } finally {
        await (store as Store | undefined)?.close();
      }
    });
}
