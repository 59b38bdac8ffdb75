/**
 * The rules that hold across the sections of a tenant file: unique codes, one Telegram id
 * per person, references between departments, staff and keyword lists, and a curator.
 * Pure, so the same rules check a whole file as it is read (config/tenant-schema.ts) and
 * the tenant an import would leave in the store — the stored sections with the imported
 * ones in their place (store/tenant-config.ts) — before anything is written.
 */

/** Where an entry of the checked tenant comes from: the file being imported, or the store. */
export type Origin = { readonly source: 'file'; readonly index: number } | { readonly source: 'store'; readonly key: string };

export interface Placed<T> {
  readonly entry: T;
  readonly origin: Origin;
}

export interface RuleSection<T> {
  readonly items: readonly Placed<T>[];
  /**
   * The list is the tenant's whole truth, so a reference to something not in it is an
   * error. False for a section the file leaves out and the store does not hold yet (a
   * tenant set up section by section: its departments may name executors before the
   * staff are loaded).
   */
  readonly known: boolean;
}

export interface RuleDepartment {
  readonly code: string;
  readonly executors: readonly string[];
}
export interface RuleStaff {
  readonly code: string;
  readonly roles: readonly string[];
  readonly department?: string | null | undefined;
  readonly deputy?: string | null | undefined;
  readonly telegramUserId?: number | null | undefined;
  readonly active?: boolean | undefined;
}
export interface RuleKeywordList {
  readonly name: string;
}
export interface RuleAccount {
  readonly name: string;
  readonly keywordLists: readonly string[];
}

export interface RuleTenant {
  readonly accounts: RuleSection<RuleAccount>;
  readonly departments: RuleSection<RuleDepartment>;
  readonly staff: RuleSection<RuleStaff>;
  readonly keywordLists: RuleSection<RuleKeywordList>;
}

export type RuleSectionName = keyof RuleTenant;

export interface RuleProblem {
  readonly section: RuleSectionName;
  /** The entry; null: the section as a whole. */
  readonly origin: Origin | null;
  /** The field inside the entry, e.g. ['executors', 1]; empty: the entry (or the section) as a whole. */
  readonly field: readonly (string | number)[];
  readonly message: string;
}

function later<T>(items: readonly Placed<T>[], key: (entry: T) => string): Array<{ item: Placed<T>; value: string }> {
  const seen = new Set<string>();
  const out: Array<{ item: Placed<T>; value: string }> = [];
  for (const item of items) {
    const value = key(item.entry);
    if (value === '') continue;
    if (seen.has(value)) out.push({ item, value });
    seen.add(value);
  }
  return out;
}

/** Every problem of the tenant as a whole, each at the entry and field it is about. */
export function tenantRuleProblems(t: RuleTenant): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (section: RuleSectionName, origin: Origin | null, field: (string | number)[], message: string) => problems.push({ section, origin, field, message });

  for (const { item, value } of later(t.accounts.items, (a) => a.name)) add('accounts', item.origin, ['name'], `аккаунт «${value}» уже описан выше`);
  for (const { item, value } of later(t.departments.items, (d) => d.code)) add('departments', item.origin, ['code'], `отдел «${value}» уже описан выше`);
  for (const { item, value } of later(t.staff.items, (s) => s.code)) add('staff', item.origin, ['code'], `сотрудник «${value}» уже описан выше`);
  for (const { item, value } of later(t.keywordLists.items, (k) => k.name)) add('keywordLists', item.origin, ['name'], `список «${value}» уже описан выше`);
  // One person per Telegram id within a tenant: the staff bot tells staff apart by it.
  for (const { item } of later(t.staff.items, (s) => (s.telegramUserId ? String(s.telegramUserId) : ''))) add('staff', item.origin, ['telegramUserId'], 'этот id Telegram уже у другого сотрудника');

  const departmentCodes = new Set(t.departments.items.map((d) => d.entry.code));
  const staffCodes = new Set(t.staff.items.map((s) => s.entry.code));
  const listNames = new Set(t.keywordLists.items.map((k) => k.entry.name));

  for (const { entry: s, origin } of t.staff.items) {
    if (t.departments.known && s.department && !departmentCodes.has(s.department)) add('staff', origin, ['department'], `нет отдела «${s.department}» в разделе departments`);
    if (t.staff.known && s.deputy && !staffCodes.has(s.deputy)) add('staff', origin, ['deputy'], `нет сотрудника «${s.deputy}» в разделе staff`);
  }
  if (t.staff.known) {
    for (const { entry: d, origin } of t.departments.items) {
      d.executors.forEach((e, j) => {
        if (!staffCodes.has(e)) add('departments', origin, ['executors', j], `нет сотрудника «${e}» в разделе staff`);
      });
    }
    if (!t.staff.items.some((s) => s.entry.roles.includes('curator') && s.entry.active !== false)) {
      add('staff', null, [], 'нужен хотя бы один куратор (role curator): без него обращения некому распределять');
    }
  }
  if (t.keywordLists.known) {
    for (const { entry: a, origin } of t.accounts.items) {
      a.keywordLists.forEach((l, j) => {
        if (!listNames.has(l)) add('accounts', origin, ['keywordLists', j], `нет списка ключевых слов «${l}» в разделе keywordLists`);
      });
    }
  }
  return problems;
}

/** The section of a file as the rules see it: known when the file has it. */
export function fileSection<T>(entries: readonly T[] | undefined): RuleSection<T> {
  return { items: (entries ?? []).map((entry, index) => ({ entry, origin: { source: 'file', index } })), known: entries !== undefined };
}
