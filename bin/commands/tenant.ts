import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { AdminFileError, formatPath, type LocatedProblem } from '../../config/admin-errors.js';
import { loadAdminFile, validateAdminFile, type CsvShape } from '../../config/admin-file.js';
import type { RuleProblem } from '../../config/tenant-rules.js';
import { ruleProblemPlace, TenantRulesError } from '../../store/import-errors.js';
import { departmentSchema, gazetteerEntrySchema, keywordListSchema, staffMemberSchema, tenantFileSchema } from '../../config/tenant-schema.js';
import type { ImportReport, SectionReport, Store } from '../../store/port.js';
import { withStore } from '../with-store.js';

const SECTION_TITLES: Record<string, string> = { tenant: 'муниципалитет', departments: 'отделы', staff: 'сотрудники', keywordLists: 'списки ключевых слов', gazetteer: 'справочник мест' };

function describeSection(title: string, report: SectionReport): string {
  const list = (names: string[]) => (names.length === 0 ? '' : ` (${names.slice(0, 8).join(', ')}${names.length > 8 ? `, … ещё ${names.length - 8}` : ''})`);
  const deactivated = report.deactivated?.length ? `, отключено ${report.deactivated.length}${list(report.deactivated)} — их нет в файле, доступ к боту и рабочему месту закрыт` : '';
  return `${title}: создано ${report.created.length}${list(report.created)}, изменено ${report.changed.length}${list(report.changed)}, без изменений ${report.unchanged.length}${deactivated}`;
}

/** Progress of a long import, on stderr so that the report on stdout stays clean. */
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * The store's whole-tenant problems as lines of the admin's file: an entry of the file by its
 * line; an entry the store holds by its code («загружен ранее»).
 */
function locate(file: string, error: TenantRulesError, loaded: { lineOf(path: ReadonlyArray<PropertyKey>): number | undefined }, pathOf: (p: RuleProblem) => Array<string | number> | null): AdminFileError {
  const problems: LocatedProblem[] = error.problems.map((p) => {
    const at = pathOf(p);
    if (!at) return { path: ruleProblemPlace(p), message: p.message };
    const line = loaded.lineOf(at);
    return { path: formatPath(at), message: p.message, ...(line ? { line } : {}) };
  });
  return new AdminFileError(file, problems);
}

/** Runs an import; a whole-tenant problem comes back located in the file. */
async function locatedImport<T>(file: string, loaded: Parameters<typeof locate>[2], pathOf: Parameters<typeof locate>[3], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TenantRulesError) throw locate(file, error, loaded, pathOf);
    throw error;
  }
}

export function printImportReport(report: ImportReport): void {
  for (const [section, sectionReport] of Object.entries(report)) if (sectionReport) console.log(describeSection(SECTION_TITLES[section] ?? section, sectionReport));
}

function writeOut(out: string | undefined, text: string): void {
  if (out) {
    fs.writeFileSync(out, text);
    console.error(`записано в ${out}`);
  } else process.stdout.write(text);
}

function toCsv(rows: Array<Record<string, unknown>>, columns: string[]): string {
  return stringifyCsv(rows.map((row) => Object.fromEntries(columns.map((c) => [c, Array.isArray(row[c]) ? (row[c] as unknown[]).join(';') : (row[c] ?? '')]))), { header: true, columns });
}

interface PartSpec<T> {
  readonly command: string;
  readonly what: string;
  readonly section: string;
  readonly schema: z.ZodType<T>;
  readonly csv: CsvShape & { readonly columns: string[] };
  readonly importer: (store: Store, tenant: string, entries: T[], onProgress: (line: string) => void) => Promise<SectionReport>;
  readonly exporter: (store: Store, tenant: string) => Promise<T[]>;
}

function registerPart<T>(program: Command, spec: PartSpec<T>): void {
  const group = program.command(spec.command).description(`${spec.what}: import or export (YAML, or CSV with lists separated by ";")`);
  group
    .command('import')
    .argument('<file>', `.yaml/.yml (a list, or { ${spec.section}: [...] }) or .csv`)
    .requiredOption('-t, --tenant <name>', 'the municipality (its name in the tenant file)')
    .description(`import ${spec.what}; idempotent: prints what was created, changed and left alone`)
    .action(async (file: string, options: { tenant: string }) => {
      const loaded = loadAdminFile(file, spec.csv);
      const listSchema = z.array(spec.schema);
      const isWrapped = loaded.data !== null && typeof loaded.data === 'object' && !Array.isArray(loaded.data);
      const entries = isWrapped
        ? (validateAdminFile(file, z.object({ [spec.section]: listSchema }).strict(), loaded) as Record<string, T[]>)[spec.section]!
        : validateAdminFile(file, listSchema, loaded);
      await withStore(async (store) => {
        // Checked by the store as the whole tenant it would leave: the stored sections with this one in place.
        const pathOf = (p: RuleProblem) => (p.section === spec.section && p.origin?.source === 'file' ? [...(isWrapped ? [spec.section] : []), p.origin.index, ...p.field] : null);
        const report = await locatedImport(file, loaded, pathOf, () => spec.importer(store, options.tenant, entries, progress));
        console.log(describeSection(SECTION_TITLES[spec.section] ?? spec.section, report));
      });
    });
  group
    .command('export')
    .requiredOption('-t, --tenant <name>', 'the municipality')
    .option('-o, --out <file>', 'write to a file (.yaml or .csv); default: YAML to standard output')
    .description(`export ${spec.what} in the import format`)
    .action(async (options: { tenant: string; out?: string }) => {
      const entries = await withStore((store) => spec.exporter(store, options.tenant));
      const csv = options.out && path.extname(options.out).toLowerCase() === '.csv';
      writeOut(options.out, csv ? toCsv(entries as Array<Record<string, unknown>>, spec.csv.columns) : stringifyYaml({ [spec.section]: entries }));
    });
}

export function registerTenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('municipalities: the whole tenant file (accounts, departments, staff, keyword lists, gazetteer)');
  tenant
    .command('import')
    .argument('<file>', 'tenant file, YAML (see examples/)')
    .description('validate the whole file and, only if all of it is valid, import it; idempotent')
    .action(async (file: string) => {
      const loaded = loadAdminFile(file);
      const parsed = validateAdminFile(file, tenantFileSchema, loaded);
      const pathOf = (p: RuleProblem) => (p.origin?.source === 'file' ? [p.section, p.origin.index, ...p.field] : p.origin ? null : [p.section]);
      await withStore(async (store) => printImportReport(await locatedImport(file, loaded, pathOf, () => store.tenants.importFile(parsed, { onProgress: progress }))));
    });
  tenant
    .command('export')
    .argument('<name>', 'the municipality')
    .option('-o, --out <file>', 'write to a file; default: standard output')
    .description('export a municipality as a tenant file that `tenant import` takes back')
    .action(async (name: string, options: { out?: string }) => {
      const file = await withStore((store) => store.tenants.exportFile(name));
      writeOut(options.out, stringifyYaml(file));
    });
  tenant
    .command('list')
    .description('the municipalities this deployment serves')
    .action(async () => {
      const tenants = await withStore((store) => store.tenants.list());
      if (tenants.length === 0) console.log('муниципалитетов нет: загрузите файл командой otklik tenant import FILE');
      for (const t of tenants) console.log(`${t.name}\t${t.timeZone}\t${t.networks.join(',') || '—'}\t${t.title}`);
    });

  registerPart(program, {
    command: 'departments', what: 'departments', section: 'departments', schema: departmentSchema,
    csv: { listColumns: ['topics', 'executors'], columns: ['code', 'name', 'topics', 'executors'] },
    importer: (store, tenant, entries, onProgress) => store.tenants.importDepartments(tenant, entries, { onProgress }), exporter: (store, tenant) => store.tenants.exportDepartments(tenant),
  });
  registerPart(program, {
    command: 'staff', what: 'staff', section: 'staff', schema: staffMemberSchema,
    csv: { listColumns: ['roles'], numberColumns: ['telegramUserId'], columns: ['code', 'fullName', 'roles', 'department', 'telegramUserId', 'deputy'] },
    importer: (store, tenant, entries, onProgress) => store.tenants.importStaff(tenant, entries, { onProgress }), exporter: (store, tenant) => store.tenants.exportStaff(tenant),
  });
  registerPart(program, {
    command: 'keywords', what: 'keyword lists', section: 'keywordLists', schema: keywordListSchema,
    csv: { listColumns: ['keywords', 'exclude'], columns: ['name', 'keywords', 'exclude'] },
    importer: (store, tenant, entries, onProgress) => store.tenants.importKeywordLists(tenant, entries, { onProgress }), exporter: (store, tenant) => store.tenants.exportKeywordLists(tenant),
  });
  registerPart(program, {
    command: 'gazetteer', what: 'the gazetteer (settlements, districts, streets, landmarks)', section: 'gazetteer', schema: gazetteerEntrySchema,
    csv: { listColumns: ['aliases'], columns: ['kind', 'name', 'settlement', 'aliases'] },
    importer: (store, tenant, entries, onProgress) => store.tenants.importGazetteer(tenant, entries, { onProgress }), exporter: (store, tenant) => store.tenants.exportGazetteer(tenant),
  });
}


