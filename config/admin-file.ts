import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { AdminFileError, adminErrorMap, formatPath, type LocatedProblem } from './admin-errors.js';

/**
 * Reads an admin file (YAML, or CSV for flat lists) and validates it with a schema.
 * Nothing is returned unless the whole file is valid; otherwise one AdminFileError
 * lists every problem with the file, the field path and, for YAML, the line.
 */
interface Loaded {
  readonly data: unknown;
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AdminFileError(file, [{ path: '(файл)', message: code === 'ENOENT' ? 'файл не найден' : `файл не читается (${code ?? String(error)})` }]);
  }
}

function loadYaml(file: string): Loaded {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readText(file), { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new AdminFileError(
      file,
      doc.errors.map((e) => ({ path: '(разметка YAML)', message: e.message.split('\n')[0] ?? e.message, line: e.linePos?.[0]?.line })),
    );
  }
  return {
    data: doc.toJS(),
    lineOf(fieldPath) {
      // The deepest node that exists along the path: a missing field points at its parent.
      let node: unknown = doc.contents;
      let line: number | undefined;
      for (const key of fieldPath) {
        const range = (node as Node | null)?.range;
        if (range) line = lineCounter.linePos(range[0]).line;
        if (isMap(node)) node = node.get(String(key), true);
        else if (isSeq(node)) node = node.get(Number(key), true);
        else break;
      }
      const range = (node as Node | null)?.range;
      return range ? lineCounter.linePos(range[0]).line : line;
    },
  };
}

/** CSV: one row a record; list columns hold values separated by ";". */
function loadCsv(file: string, listColumns: readonly string[], numberColumns: readonly string[]): Loaded {
  let rows: Array<Record<string, string>>;
  try {
    rows = parseCsv(readText(file), { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new AdminFileError(file, [{ path: '(разметка CSV)', message: error instanceof Error ? error.message : String(error) }]);
  }
  const data = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row)
        .filter(([, value]) => value !== '')
        .map(([key, value]) => [
          key,
          listColumns.includes(key) ? value.split(';').map((v) => v.trim()).filter(Boolean) : numberColumns.includes(key) && /^-?\d+$/.test(value) ? Number(value) : value,
        ]),
    ),
  );
  // Row 1 is the header, so record i is on line i + 2.
  return { data, lineOf: (fieldPath) => (typeof fieldPath[0] === 'number' ? fieldPath[0] + 2 : undefined) };
}

export interface CsvShape {
  readonly listColumns: readonly string[];
  readonly numberColumns?: readonly string[];
}

export function loadAdminFile(file: string, csv?: CsvShape): Loaded {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') {
    if (!csv) throw new AdminFileError(file, [{ path: '(файл)', message: 'этот раздел принимается только в YAML (.yaml, .yml)' }]);
    return loadCsv(file, csv.listColumns, csv.numberColumns ?? []);
  }
  if (ext === '.yaml' || ext === '.yml') return loadYaml(file);
  throw new AdminFileError(file, [{ path: '(файл)', message: `неизвестный формат «${ext || 'без расширения'}»: нужен .yaml, .yml${csv ? ' или .csv' : ''}` }]);
}

export function validateAdminFile<S extends z.ZodType>(file: string, schema: S, loaded: Loaded, wrap?: (data: unknown) => unknown): z.output<S> {
  const result = schema.safeParse(wrap ? wrap(loaded.data) : loaded.data, { error: adminErrorMap });
  if (result.success) return result.data;
  const problems: LocatedProblem[] = result.error.issues.map((issue) => {
    const line = loaded.lineOf(wrap ? issue.path.slice(1) : issue.path);
    return { path: formatPath(wrap ? issue.path.slice(1) : issue.path), message: issue.message, ...(line ? { line } : {}) };
  });
  throw new AdminFileError(file, problems);
}

export function readAdminFile<S extends z.ZodType>(file: string, schema: S, csv?: CsvShape): z.output<S> {
  return validateAdminFile(file, schema, loadAdminFile(file, csv));
}
