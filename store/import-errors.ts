import type { RuleProblem } from '../config/tenant-rules.js';

/**
 * Why an import wrote nothing, each saying whether trying again can help. The CLI turns
 * them into the admin's Russian lines (with the file's line numbers where it can).
 */

const SECTION_WORDS: Record<string, string> = { accounts: 'аккаунт', departments: 'отдел', staff: 'сотрудник', keywordLists: 'список ключевых слов' };

/** Where a problem is, without the file: an entry the store holds by its code, a file entry by its index. */
export function ruleProblemPlace(p: RuleProblem): string {
  const field = p.field.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('');
  if (!p.origin) return p.section;
  if (p.origin.source === 'store') return `${SECTION_WORDS[p.section] ?? p.section} «${p.origin.key}» (загружен ранее)${field}`;
  return `${p.section}[${p.origin.index}]${field}`;
}

export function describeRuleProblem(p: RuleProblem): string {
  return `${ruleProblemPlace(p)}: ${p.message}`;
}

/**
 * The tenant the import would leave (the stored sections with the imported ones in their
 * place) breaks a rule that holds across sections: nothing was written.
 */
export class TenantRulesError extends Error {
  override readonly name = 'TenantRulesError';
  readonly retryable = false;
  constructor(
    readonly tenant: string,
    readonly problems: readonly RuleProblem[],
  ) {
    super(`${tenant}: ${problems.length === 1 ? 'ошибка' : `ошибок: ${problems.length}`}, ничего не записано\n${problems.map((p) => `  ${describeRuleProblem(p)}`).join('\n')}`);
  }
}

/** Another import or setting changed the tenant while this one was being written: nothing of this one is in force. */
export class ConcurrentImportError extends Error {
  override readonly name = 'ConcurrentImportError';
  readonly retryable = true;
  constructor(readonly tenant: string) {
    super(`конфигурацию муниципалитета «${tenant}» только что изменил другой администратор: этот импорт ничего не изменил, повторите его`);
  }
}

/** The store failed while the new version was written: the old configuration stays in force. */
export class ImportWriteError extends Error {
  override readonly name = 'ImportWriteError';
  readonly retryable = true;
  constructor(
    readonly tenant: string,
    readonly section: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(`импорт не записан: хранилище ответило ошибкой при записи раздела ${section} (${reason}). Прежняя конфигурация муниципалитета «${tenant}» не изменена; повторите импорт, когда хранилище будет в порядке`, { cause });
  }
}
