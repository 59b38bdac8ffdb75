// The five regulations as presets: every figure with the clause it comes from, and where
// a clause is ambiguous, the reading we chose beside it. A tenant may override any figure,
// its office hours and its time zone.
import { z } from 'zod';
import { DEFAULT_OFFICE_HOURS, officeHoursSchema, type OfficeHours } from './office-hours.js';
import type { CountdownTerm, Term } from './terms.js';

export const STEPS = [
  'triage', 'answer', 'draft', 'review', 'rework', 'publish',
  'final-after-interim', 'return', 'clarification-notice', 'explanation',
  // Appended last: stored records and callback data name steps by these strings.
  'author-reply',
] as const;
export type Step = (typeof STEPS)[number];

/** The event a term counts from. */
export const ANCHORS = [
  'posted', 'detected', 'handed-over', 'draft-submitted', 'returned', 'approved', 'interim-answer', 'clarification-published',
] as const;
export type Anchor = (typeof ANCHORS)[number];

export type Importance = 'normal' | 'high';

export type Figure =
  | { term: Term; from: Anchor; clause: string; reading?: string }
  /** N units before the answer deadline (itself counted from the answer's anchor). */
  | { before: CountdownTerm; of: 'answer'; clause: string; reading?: string };

export interface StepRule {
  normal: Figure | null;
  high: Figure | null;
}

export const PRESET_IDS = ['krymsk', 'vyatskiye-polyany', 'klyuchi', 'bataysk', 'okha'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export interface RegulationProfile {
  id: string;
  title: string;
  /** The file in regulations/ the figures come from. */
  regulation: string;
  timeZone: string;
  officeHours: OfficeHours;
  officeHoursClause: string;
  steps: Record<Step, StepRule>;
  /**
   * A message received on the working day before a day off, before `cutoff` (local time),
   * is handed to the executor that same day, by the close of office, and the author gets
   * an interim answer (001 [10]). It sets a triage deadline where the regulation has no
   * general one.
   */
  sameDayHandover?: { cutoff: string; clause: string; reading: string } | null;
}

const wh = (minutes: number): CountdownTerm => ({ kind: 'working-hours', minutes });
const wdh = (minutes: number): CountdownTerm => ({ kind: 'working-day-hours', minutes });
const clock = (minutes: number): CountdownTerm => ({ kind: 'clock', minutes });
const notSet: StepRule = { normal: null, high: null };
const same = (f: Figure): StepRule => ({ normal: f, high: f });

// 001 [17] and its kin: the regulations let the executor ask the author, and stop there.
// How long to wait for the reply is nowhere set; without a term the incident waited in
// «Ожидается уточнение от автора» for ever, out of every list (issue 12, point 13).
const AUTHOR_REPLY_READING =
  'Регламент не задаёт, сколько ждать ответа автора на запрос уточнения. Читаем так: 3 рабочих дня с публикации запроса; ' +
  'затем куратору напоминают, и он решает — закрыть обращение («Готово») с указанием причины или продолжить работу по имеющимся сведениям. ' +
  'Истечение срока — не нарушение: ждут автора, а не сотрудника.';
const authorReply = (clause: string): StepRule =>
  same({ term: { kind: 'working-days', days: 3 }, from: 'clarification-published', clause, reading: AUTHOR_REPLY_READING });

const KRYMSK_MINUTES_READING =
  'Порядок считает сроки в рабочих часах (п. 6, 9, 14); короткие сроки куратора и исполнителя читаем так же — в рабочем времени.';

const krymsk: RegulationProfile = {
  id: 'krymsk',
  title: 'Крымский район (постановление от 18.08.2021 № 2424)',
  regulation: '000_a78742cff126e9c6.txt',
  timeZone: 'Europe/Moscow',
  officeHours: DEFAULT_OFFICE_HOURS,
  officeHoursClause: 'не указаны в Порядке: по умолчанию пн–пт 09:00–18:00, перерыв 13:00–14:00',
  steps: {
    triage: same({ term: wh(30), from: 'detected', clause: '000 [9]', reading: KRYMSK_MINUTES_READING }), // 000 [9]
    answer: {
      normal: { term: wh(8 * 60), from: 'detected', clause: '000 [6]' }, // 000 [6]
      high: { term: wh(4 * 60), from: 'detected', clause: '000 [9, 14]' }, // 000 [9], [14]
    },
    draft: {
      normal: { before: wh(4 * 60), of: 'answer', clause: '000 [10]', reading: 'за 4 часа до срока ответа, часы — рабочие, как и сам срок' }, // 000 [10]
      high: {
        before: wh(60),
        of: 'answer',
        clause: '000 [10, 11, 13]',
        reading:
          'за 4 часа до срока в 4 рабочих часа — это сам момент выявления; читаем п. 10 для повышенной важности как «не позднее 1 рабочего часа до срока ответа»: 30 мин на согласование (п. 11) и 30 мин на размещение (п. 13)',
      },
    },
    review: same({ term: wh(30), from: 'draft-submitted', clause: '000 [11]', reading: KRYMSK_MINUTES_READING }), // 000 [11]
    rework: same({ term: wh(60), from: 'returned', clause: '000 [12]', reading: KRYMSK_MINUTES_READING }), // 000 [12]
    publish: same({ term: wh(30), from: 'approved', clause: '000 [13]', reading: KRYMSK_MINUTES_READING }), // 000 [13]
    'final-after-interim': same({ term: { kind: 'working-days', days: 7 }, from: 'interim-answer', clause: '000 [15]' }), // 000 [15]
    return: notSet,
    'clarification-notice': notSet,
    explanation: notSet,
    'author-reply': authorReply('000 [8, 10, 11]'), // запрос (уточнение) автору согласует куратор
  },
};

// 001 [10]: drafts go for approval Mon–Thu 08:00–12:00, 13:00–17:00, Fri and pre-holiday days 09:00–15:45.
const vpWeek = [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }];
const VP_OFFICE_HOURS: OfficeHours = {
  week: { mon: vpWeek, tue: vpWeek, wed: vpWeek, thu: vpWeek, fri: [{ from: '09:00', to: '15:45' }], sat: [], sun: [] },
  shortened: { intervals: [{ from: '09:00', to: '15:45' }] },
  weekendWorkdayAs: 'mon',
};
const VP_MINUTES_READING = 'часы согласования заданы п. 10 (время работы), поэтому этот срок идёт в рабочем времени';

const vyatskiyePolyany: RegulationProfile = {
  id: 'vyatskiye-polyany',
  title: 'г. Вятские Поляны (постановление от 26.07.2021 № 1113)',
  regulation: '001_4c31e845f396344a.txt',
  timeZone: 'Europe/Kirov',
  officeHours: VP_OFFICE_HOURS,
  officeHoursClause: '001 [10]',
  sameDayHandover: {
    cutoff: '15:45',
    clause: '001 [10]',
    reading: 'поступившее до 15:45 дня, предшествующего выходному, передаётся исполнителю в тот же день; автору даётся промежуточный ответ',
  }, // 001 [10]
  steps: {
    triage: notSet,
    answer: {
      normal: { term: wdh(24 * 60), from: 'detected', clause: '001 [8]', reading: '24 часа, выходные и праздники прерывают течение срока' }, // 001 [8]
      high: { term: wh(4 * 60), from: 'detected', clause: '001 [8]' }, // 001 [8]
    },
    draft: {
      normal: { term: wdh(22 * 60), from: 'handed-over', clause: '001 [9]', reading: '22 часа в тех же единицах, что и срок ответа по п. 8' }, // 001 [9]
      high: { term: wh(3 * 60), from: 'handed-over', clause: '001 [9]' }, // 001 [9]
    },
    review: same({
      term: wh(60), from: 'draft-submitted', clause: '001 [13]',
      reading: `1 час через систему; 2 часа — при отправке по эл. почте (переопределяется). ${VP_MINUTES_READING}`,
    }), // 001 [13]
    rework: {
      normal: { term: wh(60), from: 'returned', clause: '001 [15, 11]', reading: `п. 15 отсылает к срокам п. 11 и 12; срок есть только в п. 11: 1 час. ${VP_MINUTES_READING}` },
      high: { term: wh(30), from: 'returned', clause: '001 [15, 11]', reading: `п. 15 отсылает к срокам п. 11: 30 минут при повышенной важности. ${VP_MINUTES_READING}` },
    },
    publish: same({ term: wh(30), from: 'approved', clause: '001 [16]', reading: VP_MINUTES_READING }), // 001 [16]
    'final-after-interim': notSet, // 001 [10] требует промежуточный ответ, но срока окончательного не задаёт
    return: {
      normal: { term: wh(60), from: 'handed-over', clause: '001 [11]', reading: VP_MINUTES_READING }, // 001 [11]
      high: { term: wh(30), from: 'handed-over', clause: '001 [11]', reading: VP_MINUTES_READING }, // 001 [11]
    },
    'clarification-notice': same({ term: wh(2 * 60), from: 'handed-over', clause: '001 [17]', reading: VP_MINUTES_READING }), // 001 [17]
    explanation: notSet,
    'author-reply': authorReply('001 [9, 17]'), // запрос (уточнение) для направления автору
  },
};

const klyuchi: RegulationProfile = {
  id: 'klyuchi',
  title: 'Ключевский район (постановление от 25.01.2021 № 36)',
  regulation: '002_d1caebc9ff6b65e9.txt',
  timeZone: 'Asia/Barnaul',
  officeHours: DEFAULT_OFFICE_HOURS,
  officeHoursClause: 'не указаны в Положении: по умолчанию пн–пт 09:00–18:00, перерыв 13:00–14:00',
  steps: {
    triage: notSet,
    answer: same({
      term: wh(9 * 60), from: 'detected', clause: '002 [6]',
      reading: 'сокращённого срока для повышенной важности Положение не задаёт: тот же срок',
    }), // 002 [6]
    draft: same({
      before: wh(4 * 60), of: 'answer', clause: '002 [7]',
      reading: 'п. 7 ссылается на «срок, предусмотренный пунктом 4», где срока нет; читаем как срок ответа по п. 6, часы — рабочие',
    }), // 002 [7]
    review: notSet,
    rework: same({ term: wh(60), from: 'returned', clause: '002 [8]', reading: 'в рабочем времени, как и срок ответа по п. 6' }), // 002 [8]
    publish: notSet,
    'final-after-interim': same({ term: { kind: 'working-days', days: 7 }, from: 'interim-answer', clause: '002 [9]' }), // 002 [9]
    return: notSet,
    'clarification-notice': notSet,
    explanation: notSet,
    'author-reply': authorReply('002 [7]'), // запрос (уточнение) автору
  },
};

const BATAYSK_CLOCK_READING = 'Положение считает сроки в часах без перерыва на выходные (п. 7); короткие сроки — так же, по часам';

const bataysk: RegulationProfile = {
  id: 'bataysk',
  title: 'г. Батайск (постановление от 05.02.2019 № 188)',
  regulation: '003_a65469eceab54d84.txt',
  timeZone: 'Europe/Moscow',
  officeHours: DEFAULT_OFFICE_HOURS,
  officeHoursClause: 'не указаны в Положении: по умолчанию пн–пт 09:00–18:00, перерыв 13:00–14:00',
  steps: {
    triage: notSet,
    answer: same({
      term: clock(24 * 60), from: 'detected', clause: '003 [7]',
      reading: '24 часа по часам: Положение не прерывает срок выходными; сокращённого срока нет',
    }), // 003 [7]
    draft: same({ before: clock(3 * 60), of: 'answer', clause: '003 [9]' }), // 003 [9]
    review: same({ term: clock(30), from: 'draft-submitted', clause: '003 [9]', reading: BATAYSK_CLOCK_READING }), // 003 [9]
    rework: same({ term: clock(60), from: 'returned', clause: '003 [9]', reading: BATAYSK_CLOCK_READING }), // 003 [9]
    publish: same({ term: clock(30), from: 'approved', clause: '003 [10]', reading: BATAYSK_CLOCK_READING }), // 003 [10]
    'final-after-interim': notSet,
    return: notSet,
    'clarification-notice': notSet,
    explanation: notSet,
    // Положение запроса уточнения не называет, но и не запрещает: тот же срок ожидания.
    'author-reply': authorReply('003: запрос уточнения не предусмотрен'),
  },
};

const okha: RegulationProfile = {
  id: 'okha',
  title: 'ГО «Охинский» (распоряжение от 12.01.2023 № 8)',
  regulation: '004_28ad2f761ad2011e.txt',
  timeZone: 'Asia/Sakhalin',
  officeHours: DEFAULT_OFFICE_HOURS,
  officeHoursClause: 'не указаны в Порядке: по умолчанию пн–пт 09:00–18:00, перерыв 13:00–14:00',
  steps: {
    triage: same({ term: wh(3 * 60), from: 'posted', clause: '004 [3.1]' }), // 004 [3.1]
    answer: same({
      term: wdh(24 * 60), from: 'detected', clause: '004 [3.2]',
      reading: '24 часа с момента поступления, выходные и праздничные дни не учитываются; сокращённого срока нет',
    }), // 004 [3.2]
    draft: same({
      before: { kind: 'working-day-hours', minutes: 0 }, of: 'answer', clause: '004 [3.2]',
      reading: 'ответ направляется оператору в пределах тех же 24 часов: проект — не позднее срока ответа',
    }), // 004 [3.2]
    review: notSet, // 004 [3.3] — без срока
    rework: notSet,
    publish: notSet,
    'final-after-interim': notSet,
    return: notSet,
    'clarification-notice': notSet,
    explanation: same({ term: wh(12 * 60), from: 'posted', clause: '004 [3.7]' }), // 004 [3.7]
    // Порядок запроса уточнения не называет, но и не запрещает: тот же срок ожидания.
    'author-reply': authorReply('004: запрос уточнения не предусмотрен'),
  },
};

export const PRESETS: Record<PresetId, RegulationProfile> = {
  krymsk,
  'vyatskiye-polyany': vyatskiyePolyany,
  klyuchi,
  bataysk,
  okha,
};

export function isPresetId(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id);
}

const minutes = z.number().int().min(0).max(366 * 24 * 60);
const termSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('working-hours'), minutes }).strict(),
  z.object({ kind: z.literal('working-day-hours'), minutes }).strict(),
  z.object({ kind: z.literal('working-days'), days: z.number().int().min(0).max(366) }).strict(),
  z.object({ kind: z.literal('clock'), minutes }).strict(),
]);
const countdownSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('working-hours'), minutes }).strict(),
  z.object({ kind: z.literal('working-day-hours'), minutes }).strict(),
  z.object({ kind: z.literal('clock'), minutes }).strict(),
]);
const figureSchema = z.union([
  z.object({ term: termSchema, from: z.enum(ANCHORS), clause: z.string().default('настройка администрации'), reading: z.string().optional() }).strict(),
  z.object({ before: countdownSchema, of: z.literal('answer'), clause: z.string().default('настройка администрации'), reading: z.string().optional() }).strict(),
]);
const stepOverrideSchema = z
  .object({ normal: figureSchema.nullable().optional(), high: figureSchema.nullable().optional() })
  .strict();

/** A tenant's changes to its preset: any step's figure (null = not set), office hours, time zone. */
export const profileOverridesSchema = z
  .object({
    steps: z.partialRecord(z.enum(STEPS), stepOverrideSchema).optional(),
    officeHours: officeHoursSchema.optional(),
    timeZone: z.string().optional(),
    sameDayHandover: z
      .object({ cutoff: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm'), clause: z.string().default('настройка администрации'), reading: z.string().default('') })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type ProfileOverrides = z.input<typeof profileOverridesSchema>;

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

/** zod issues as "field.path: message", the first one, for an admin to fix. */
export function firstIssue(error: z.ZodError, prefix: string): ProfileError {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return new ProfileError(path, issue?.message ?? 'invalid');
}

/**
 * The profile a tenant works by: the preset, then the tenant's overrides, then the
 * tenant's own office hours and time zone (the tenant's record wins over the preset).
 */
export function resolveProfile(
  id: string,
  options: { overrides?: unknown; officeHours?: unknown; timeZone?: string } = {},
): RegulationProfile {
  if (!isPresetId(id)) throw new ProfileError('profile', `unknown profile "${id}"; known: ${PRESET_IDS.join(', ')}`);
  const preset = PRESETS[id];
  const parsed = profileOverridesSchema.safeParse(options.overrides ?? {});
  if (!parsed.success) throw firstIssue(parsed.error, 'overrides');
  const o = parsed.data;
  const steps = { ...preset.steps };
  for (const step of STEPS) {
    const change = o.steps?.[step];
    if (!change) continue;
    steps[step] = {
      normal: change.normal === undefined ? preset.steps[step].normal : (change.normal as Figure | null),
      high: change.high === undefined ? preset.steps[step].high : (change.high as Figure | null),
    };
  }
  let officeHours = o.officeHours ?? preset.officeHours;
  if (options.officeHours !== undefined) {
    const hours = officeHoursSchema.safeParse(options.officeHours);
    if (!hours.success) throw firstIssue(hours.error, 'officeHours');
    officeHours = hours.data;
  }
  const timeZone = options.timeZone ?? o.timeZone ?? preset.timeZone;
  const sameDayHandover = o.sameDayHandover === undefined ? preset.sameDayHandover : o.sameDayHandover;
  return { ...preset, steps, officeHours, timeZone, ...(sameDayHandover !== undefined ? { sameDayHandover } : {}) };
}
