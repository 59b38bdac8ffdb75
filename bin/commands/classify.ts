import { once } from 'node:events';
import readline from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { Classifier, type Verdict } from '../../classifiers/verdict.js';
import { loadActiveModel, loadGazetteer } from '../../store/classifier.js';
import { openStore, type Store } from '../../store/connection.js';

const Line = z.object({
  text: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  tenant: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
});

type Answer = ReturnType<typeof publicVerdict> | { error: string };

/** The verdict as a script reads it: the fields of `verdict` in the store. */
function publicVerdict(v: Verdict) {
  return {
    rejected: v.rejected,
    reason: v.reason,
    reasonCode: v.reasonCode,
    evidence: v.evidence,
    topic: v.topic,
    importance: { value: v.importance.value, reason: v.importance.reason },
    location: v.location,
    language: v.language.code,
    competence: v.competence,
    modelVersion: v.modelVersion,
  };
}

export function register(program: Command): void {
  program
    .command('classify')
    .option('--offline', 'the shipped model and dictionaries only, without the store (no "tenant" lines)')
    .description(
      'reads JSON lines {"text":"…"} (optionally with "tenant" for a stored tenant\'s model and gazetteer) and writes ' +
        'one verdict per line, in order: {"rejected","reason","reasonCode","evidence","topic","importance","location",' +
        '"language","competence","modelVersion"}, or {"error":"line N: field: …"}',
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
          const [model, gazetteer] = await Promise.all([loadActiveModel(store, tenant), loadGazetteer(store, tenant)]);
          c = model ? Classifier.fromModel(model, { gazetteer }) : new Classifier({ gazetteer });
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
        const parsed = Line.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return { error: `line ${lineNo}: ${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}` };
        }
        const { text, tenant } = parsed.data;
        if (tenant !== undefined && options.offline) return { error: `line ${lineNo}: tenant: needs the store; run without --offline` };
        const classifier = tenant === undefined ? shipped : await tenantClassifier(tenant);
        return publicVerdict(classifier.classify(text));
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
