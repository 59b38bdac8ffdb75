import { z } from 'zod';
import { DRAFT_KINDS } from '../workflow/draft-check.js';
import type { Command } from '../workflow/incident-machine.js';
import { EXPLANATION_GROUND_LABELS, REJECT_REASON_LABELS } from '../workflow/labels.js';
import { fromLocalInput } from './format.js';

/**
 * The workplace's forms, read into the state machine's commands. Only staff commands are
 * accepted here; the system's own (classify, publish-…, author-replied) come from workers.
 * Each field is checked with a Russian message that names it; what the regulation decides
 * (comments required, who may do what) is left to workflow/, so the two never disagree.
 */
export const WEB_COMMANDS = [
  'confirm-and-route', 'reject', 'overturn', 'link-repeat', 'unlink-repeat', 'reassign',
  'take', 'pass-on', 'return-not-competent', 'submit-draft',
  'approve', 'edit-and-approve', 'return-for-rework', 'set-promised-date', 'set-public-interest',
  'resolve-delivery', 'close-no-reply', 'resume-without-reply', 'convert-to-appeal',
] as const satisfies readonly Command['type'][];
export type WebCommandType = (typeof WEB_COMMANDS)[number];

export function isWebCommand(type: string): type is WebCommandType {
  return (WEB_COMMANDS as readonly string[]).includes(type);
}

export type FormBody = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A single value of a form field (the last one if the field came several times). */
export function field(body: FormBody, name: string): string {
  const v = body[name];
  if (Array.isArray(v)) return String(v[v.length - 1] ?? '');
  return typeof v === 'string' ? v : '';
}

export type Parsed = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly error: string };

const text = (label: string, max = 10000) => z.string().trim().max(max, `${label}: не длиннее ${max} знаков`);
const required = (label: string, max = 10000) => text(label, max).min(1, `${label}: поле не заполнено`);
const REJECT_REASONS = Object.keys(REJECT_REASON_LABELS) as [keyof typeof REJECT_REASON_LABELS, ...(keyof typeof REJECT_REASON_LABELS)[]];
const GROUNDS = Object.keys(EXPLANATION_GROUND_LABELS) as [keyof typeof EXPLANATION_GROUND_LABELS, ...(keyof typeof EXPLANATION_GROUND_LABELS)[]];

function first(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'Форма заполнена неверно';
}

export function parseCommand(type: WebCommandType, body: FormBody, ctx: { readonly timeZone: string; readonly now: Date }): Parsed {
  const get = (name: string) => field(body, name);
  const check = <T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } => {
    const r = schema.safeParse(value);
    return r.success ? { ok: true, value: r.data } : { ok: false, error: first(r.error) };
  };
  const comment = (label: string) => {
    const r = check(text(label), get('comment'));
    return r;
  };
  switch (type) {
    case 'confirm-and-route': {
      const r = check(z.object({
        topic: required('Тема', 200),
        location: text('Место', 300),
        importance: z.enum(['normal', 'high'], { error: 'Важность: выберите обычную или повышенную' }),
        departments: z.array(z.string().trim()).transform((list) => list.filter(Boolean)).refine((list) => list.length > 0, 'Подразделение: выберите хотя бы одно'),
        assignee: text('Исполнитель', 100),
      }), {
        topic: get('topic'), location: get('location'), importance: get('importance'),
        departments: [get('department1'), get('department2'), get('department3')], assignee: get('assignee'),
      });
      if (!r.ok) return r;
      const v = r.value;
      return { ok: true, command: { type, topic: v.topic, location: v.location || null, importance: v.importance, departments: v.departments, ...(v.assignee ? { assignee: v.assignee } : {}) } };
    }
    case 'reject': {
      const r = check(z.object({ reason: z.enum(REJECT_REASONS, { error: 'Основание отклонения: выберите из перечня' }), comment: text('Комментарий') }), { reason: get('reason'), comment: get('comment') });
      if (!r.ok) return r;
      return { ok: true, command: { type, reason: r.value.reason, ...(r.value.comment ? { comment: r.value.comment } : {}) } };
    }
    case 'overturn':
    case 'unlink-repeat':
    case 'return-for-rework':
    case 'return-not-competent':
    case 'close-no-reply':
    case 'resume-without-reply': {
      const r = comment('Комментарий');
      if (!r.ok) return r;
      return { ok: true, command: { type, comment: r.value } };
    }
    case 'pass-on': {
      const r = check(text('Что сделано'), get('note'));
      if (!r.ok) return r;
      return { ok: true, command: { type, note: r.value } };
    }
    case 'link-repeat': {
      const r = check(z.coerce.number({ error: 'Номер прежнего обращения: нужно число' }).int('Номер прежнего обращения: нужно целое число').positive('Номер прежнего обращения: нужно число больше нуля'), get('earlier').replace(/^№\s*/, ''));
      if (!r.ok) return r;
      return { ok: true, command: { type, earlier: r.value } };
    }
    case 'reassign': {
      const r = check(z.object({ assignee: required('Исполнитель', 100), comment: text('Комментарий') }), { assignee: get('assignee'), comment: get('comment') });
      if (!r.ok) return r;
      return { ok: true, command: { type, assignee: r.value.assignee, comment: r.value.comment } };
    }
    case 'take':
    case 'approve':
      return { ok: true, command: { type } };
    case 'submit-draft': {
      const r = check(z.object({
        id: z.string().regex(/^web-[A-Za-z0-9-]{8,64}$/, 'Форма проекта повреждена: обновите страницу'),
        kind: z.enum(DRAFT_KINDS, { error: 'Вид проекта: выберите ответ, промежуточный ответ, запрос уточнения или разъяснение' }),
        text: required('Текст проекта'),
        ground: z.union([z.literal(''), z.enum(GROUNDS, { error: 'Основание разъяснения: выберите из перечня' })]),
        promisedBy: z.string(),
      }), { id: get('draftId'), kind: get('kind'), text: get('text'), ground: get('ground'), promisedBy: get('promisedBy') });
      if (!r.ok) return r;
      const v = r.value;
      let promisedBy: Date | null = null;
      if (v.kind === 'interim' && v.promisedBy.trim()) {
        promisedBy = fromLocalInput(v.promisedBy, ctx.timeZone, true);
        if (!promisedBy) return { ok: false, error: 'Дата окончательного ответа: нужна дата' };
      }
      return {
        ok: true,
        command: {
          type, draft: {
            id: v.id, kind: v.kind, text: v.text,
            ...(promisedBy ? { promisedBy } : {}),
            ...(v.kind === 'explanation' && v.ground ? { ground: v.ground } : {}),
          },
        },
      };
    }
    case 'edit-and-approve': {
      const r = check(z.object({ text: required('Исправленный текст'), comment: text('Комментарий') }), { text: get('text'), comment: get('comment') });
      if (!r.ok) return r;
      return { ok: true, command: { type, text: r.value.text, ...(r.value.comment ? { comment: r.value.comment } : {}) } };
    }
    case 'set-promised-date': {
      const promisedBy = fromLocalInput(get('promisedBy'), ctx.timeZone, true);
      if (!promisedBy) return { ok: false, error: 'Дата окончательного ответа: нужна дата' };
      return { ok: true, command: { type, promisedBy } };
    }
    case 'set-public-interest': {
      const value = get('publicInterest');
      if (value !== 'yes' && value !== 'no') return { ok: false, error: 'Общий интерес: отметьте да или нет' };
      return { ok: true, command: { type, publicInterest: value === 'yes' } };
    }
    case 'resolve-delivery': {
      const r = check(z.object({
        outcome: z.enum(['public', 'private', 'no-channel'], { error: 'Результат публикации: выберите, что установлено' }),
        comment: text('Что проверено'),
      }), { outcome: get('outcome'), comment: get('comment') });
      if (!r.ok) return r;
      return { ok: true, command: { type, outcome: r.value.outcome, comment: r.value.comment } };
    }
    case 'convert-to-appeal': {
      const at = fromLocalInput(get('consentAt'), ctx.timeZone);
      if (!at) return { ok: false, error: 'Когда получено согласие автора: нужны дата и время' };
      const r = check(z.object({ how: text('Как получено согласие', 300), registration: text('Регистрационный номер', 100) }), { how: get('consentHow'), registration: get('registration') });
      if (!r.ok) return r;
      return { ok: true, command: { type, consent: { at, how: r.value.how }, registration: r.value.registration || null } };
    }
  }
}
