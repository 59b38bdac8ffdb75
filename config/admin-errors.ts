import { z } from 'zod';

/**
 * Validation messages for admin files, in Russian words an admin understands
 * ("обязательное поле не заполнено"), not the library's type names. Applied per parse, so
 * other schemas keep their own messages.
 */
const russian = z.locales.ru().localeError;

const TYPE_NAMES: Record<string, string> = {
  string: 'текст',
  number: 'число',
  int: 'целое число',
  boolean: 'да или нет (true/false)',
  array: 'список',
  object: 'раздел с полями',
  date: 'дата',
};

export const adminErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'обязательное поле не заполнено';
    return `ожидается ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys') return `неизвестное поле: ${issue.keys.join(', ')} (опечатка?)`;
  if (issue.code === 'invalid_value') return `допустимые значения: ${issue.values.map((v) => String(v)).join(', ')}`;
  const fallback = russian(issue);
  return typeof fallback === 'string' ? fallback : fallback?.message;
};

export interface LocatedProblem {
  /** e.g. "staff[2].department" */
  readonly path: string;
  readonly message: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(весь файл)';
}

/** An admin file that cannot be used: every problem, each with the file, the field and the line. */
export class AdminFileError extends Error {
  override readonly name = 'AdminFileError';
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly problems: readonly LocatedProblem[],
  ) {
    super(
      `${file}: ${problems.length === 1 ? 'ошибка' : `ошибок: ${problems.length}`}, ничего не записано\n` +
        problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.path}: ${p.message}`).join('\n'),
    );
  }
}
