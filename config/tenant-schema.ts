import { IANAZone } from 'luxon';
import { z } from 'zod';
import { officeHoursSchema, WEEKDAYS, type OfficeHours } from '../workflow/office-hours.js';
import { PRESET_IDS, profileOverridesSchema } from '../workflow/profiles.js';
import { ABSENCE_REASONS, STAFF_ROLES } from '../store/models/staff.js';
import { GAZETTEER_KINDS } from '../store/models/gazetteer-entry.js';
import { fileSection, tenantRuleProblems } from './tenant-rules.js';

/**
 * The tenant file an admin edits (YAML): the administration, its accounts, departments,
 * staff, keyword lists and gazetteer. Sections other than the tenant's own fields may
 * also come in files of their own (`otklik staff import …`). Every object is strict, so a
 * misspelt field is reported instead of silently ignored.
 */

const code = z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'латинские строчные буквы, цифры, «-» и «_», до 63 знаков');
const text = z.string().trim().min(1, 'поле не должно быть пустым');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'имя переменной окружения: заглавные латинские буквы, цифры и «_» (сам токен в файл не пишется)');
const isoDay = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'дата в виде ГГГГ-ММ-ДД'));

// "08:00-12:00" is accepted for an interval: what an admin would type.
const interval = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const m = /^\s*(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})\s*$/.exec(v);
  return m ? { from: m[1], to: m[2] } : v;
}, z.object({ from: z.string(), to: z.string() }).strict());

const officeHours = z
  .object({
    ...Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(interval).default([])])),
    shortened: z.union([z.object({ endEarlierMinutes: z.number().int() }).strict(), z.object({ intervals: z.array(interval) }).strict()]).default({ endEarlierMinutes: 60 }),
    weekendWorkdayAs: z.enum(WEEKDAYS).optional(),
  })
  .strict()
  .transform((v, ctx) => {
    const record = v as Record<string, unknown>;
    const candidate = { week: Object.fromEntries(WEEKDAYS.map((day) => [day, record[day]])), shortened: record.shortened, ...(record.weekendWorkdayAs ? { weekendWorkdayAs: record.weekendWorkdayAs } : {}) };
    const checked = officeHoursSchema.safeParse(candidate);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const [first, ...rest] = issue.path;
        ctx.addIssue({ code: 'custom', path: first === 'week' ? rest : issue.path, message: issue.message === 'from must be before to' ? 'начало интервала должно быть раньше конца' : issue.message === 'intervals must be in order and not overlap' ? 'интервалы должны идти по порядку и не пересекаться' : issue.message === 'expected HH:mm' ? 'время в виде ЧЧ:ММ' : issue.message });
      }
      return z.NEVER;
    }
    return checked.data;
  });

export const accountSchema = z
  .object({
    network: z.enum(['vk', 'ok', 'telegram', 'max']),
    name: code,
    groupId: z.union([z.string(), z.number()]).transform(String).optional(),
    discussionChatIds: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
    tokenEnv: envName,
    userTokenEnv: envName.optional(),
    applicationKeyEnv: envName.optional(),
    applicationSecretEnv: envName.optional(),
    apiBaseUrl: z.url({ message: 'адрес вида http://… или https://…' }).optional(),
    keywordLists: z.array(code).default([]),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((account, ctx) => {
    if (account.network === 'vk' && !account.groupId) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'для ВКонтакте нужен id сообщества' });
    if (account.network === 'ok') {
      if (!account.groupId) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'для Одноклассников нужен id группы' });
      if (!account.applicationKeyEnv) ctx.addIssue({ code: 'custom', path: ['applicationKeyEnv'], message: 'для Одноклассников нужна переменная с ключом приложения' });
      if (!account.applicationSecretEnv) ctx.addIssue({ code: 'custom', path: ['applicationSecretEnv'], message: 'для Одноклассников нужна переменная с секретным ключом приложения' });
    }
  });

export const departmentSchema = z
  .object({ code, name: text, topics: z.array(text).default([]), executors: z.array(code).default([]) })
  .strict();

export const absenceSchema = z
  .object({ from: isoDay, to: isoDay, reason: z.enum(ABSENCE_REASONS) })
  .strict()
  .refine((a) => a.from <= a.to, { message: 'дата окончания раньше даты начала', path: ['to'] });

export const staffMemberSchema = z
  .object({
    code,
    fullName: text,
    roles: z.array(z.enum(STAFF_ROLES)).min(1, 'укажите хотя бы одну роль: curator, executor, admin, head'),
    department: code.nullable().optional(),
    telegramUserId: z.number().int().positive('id пользователя Telegram: положительное целое число').nullable().optional(),
    deputy: code.nullable().optional(),
    // Optional so that a CSV of staff (which has no absence columns) leaves them alone.
    absences: z.array(absenceSchema).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .superRefine((member, ctx) => {
    if (member.roles.includes('executor') && !member.department) ctx.addIssue({ code: 'custom', path: ['department'], message: 'исполнителю нужен отдел' });
    if (member.deputy === member.code) ctx.addIssue({ code: 'custom', path: ['deputy'], message: 'сотрудник не может замещать сам себя' });
  });

export const keywordListSchema = z
  .object({ name: code, keywords: z.array(text).min(1, 'список пуст: добавьте хотя бы одно ключевое слово'), exclude: z.array(text).default([]) })
  .strict();

export const gazetteerEntrySchema = z
  .object({ kind: z.enum(GAZETTEER_KINDS), name: text, settlement: z.string().trim().default(''), aliases: z.array(text).default([]) })
  .strict()
  .refine((e) => e.kind === 'settlement' || e.kind === 'district' || e.settlement !== '', { message: 'для улицы или объекта укажите населённый пункт', path: ['settlement'] });

export const tenantFileSchema = z
  .object({
    name: code,
    title: text,
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'неизвестный часовой пояс: нужен IANA, например Europe/Moscow, Asia/Sakhalin'),
    regulationProfile: z
      // Overrides are checked by the same schema the deadline code resolves them with.
      .object({ id: z.enum(PRESET_IDS), overrides: profileOverridesSchema.default({}) })
      .strict(),
    officeHours: officeHours.nullable().default(null),
    topics: z.array(text).default([]),
    accounts: z.array(accountSchema).default([]),
    departments: z.array(departmentSchema).optional(),
    staff: z.array(staffMemberSchema).optional(),
    keywordLists: z.array(keywordListSchema).optional(),
    gazetteer: z.array(gazetteerEntrySchema).optional(),
  })
  .strict()
  .superRefine((tenant, ctx) => {
    const problems = tenantRuleProblems({
      accounts: fileSection(tenant.accounts),
      departments: fileSection(tenant.departments),
      staff: fileSection(tenant.staff),
      keywordLists: fileSection(tenant.keywordLists),
    });
    for (const p of problems) {
      const at = p.origin?.source === 'file' ? [p.origin.index] : [];
      ctx.addIssue({ code: 'custom', path: [p.section, ...at, ...p.field], message: p.message });
    }
  });

export type TenantFile = z.infer<typeof tenantFileSchema>;
export type DepartmentEntry = z.infer<typeof departmentSchema>;
export type StaffEntry = z.infer<typeof staffMemberSchema>;
export type KeywordListEntry = z.infer<typeof keywordListSchema>;
export type GazetteerEntry = z.infer<typeof gazetteerEntrySchema>;
export type AccountEntry = z.infer<typeof accountSchema>;

/** The stored schedule in the form an admin writes it ("08:00-12:00"), for export. */
export function officeHoursForFile(hours: OfficeHours | null): Record<string, unknown> | null {
  if (!hours) return null;
  const days = Object.fromEntries(WEEKDAYS.filter((day) => hours.week[day].length > 0).map((day) => [day, hours.week[day].map((i) => `${i.from}-${i.to}`)]));
  const shortened = 'intervals' in hours.shortened ? { intervals: hours.shortened.intervals.map((i) => `${i.from}-${i.to}`) } : hours.shortened;
  return { ...days, shortened, ...(hours.weekendWorkdayAs ? { weekendWorkdayAs: hours.weekendWorkdayAs } : {}) };
}
