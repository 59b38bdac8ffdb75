import { once } from 'node:events';
import readline from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { Classifier, toStoredVerdict, type StoredVerdict } from '../../classifiers/verdict.js';
import { openStore, type Store } from '../../store/connection.js';

const Line = z.object({
  text: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  tenant: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
});

type Answer = StoredVerdict | { error: string };

export function register(program: Command): void {
  program
    .command('classify')
    .option('--offline', 'the shipped model and dictionaries only, without the store (no "tenant" lines)')
    .description(
      'reads JSON lines {"text":"…"} (optionally with "tenant" for a stored tenant\'s model and gazetteer) and writes ' +
        'one verdict per line, in order, as stored on the incident: {"rejected","reason","reasonCode","evidence",' +
        '"otherReasons","language","topic","location","importance","competence","repeatOf","modelVersion"}, ' +
        'or {"error":"line N: field: …"}',
    )
    .action(async (options: { offline?: boolean }) => {
      const shipped = new Classifier();
      const tenants = new Map<string, Classifier>();
      let store: Store | undefined;
      // The store is opened on the first "tenant" line only: plain lines need nothing but
      // the shipped model, and --offline never opens it.
      const tenantClassifier = async (tenant: string): Promise<Classifier> => {
        let c = tenants.get(tenant);
        if (c === undefined) {
          store ??= await openStore({ embedded: 'if-not-running' });
          c = await store.classifier.forTenant(tenant);
          tenants.set(tenant, c);
        }
        return c;
      };
      const answer = async (line: string, lineNo: number): Promise<Answer> => {
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          return { error: `line ${lineNo}: not a JSON object` };
        }
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: `line ${lineNo}: not a JSON object` };
        const parsed = Line.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return { error: `line ${lineNo}: ${issue?.path.join('.') ?? 'text'}: ${issue?.message ?? 'invalid'}` };
        }
        const { text, tenant } = parsed.data;
        if (tenant !== undefined && options.offline) return { error: `line ${lineNo}: tenant: needs the store; run without --offline` };
        const classifier = tenant === undefined ? shipped : await tenantClassifier(tenant);
        return toStoredVerdict(classifier.classify(text));
      };
      try {
        const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
        let lineNo = 0;
        for await (const line of lines) {
          lineNo++;
          if (line.trim() === '') continue;
          // Respect the pipe: a slow reader must not make us buffer 10,000 verdicts.
          if (!process.stdout.write(JSON.stringify(await answer(line, lineNo)) + '\n')) await once(process.stdout, 'drain');
        }
      } finally {
        await store?.close();
      }
    });
}
