import { DateTime } from 'luxon';
import type { Step } from '../../workflow/profiles.js';

/** Russian names of the deadline steps, as staff read them on cards and in /due. */
export const STEP_LABELS: Readonly<Record<Step, string>> = {
  triage: 'распределение',
  answer: 'ответ автору',
  draft: 'проект ответа',
  review: 'согласование проекта',
  rework: 'доработка проекта',
  publish: 'публикация',
  'final-after-interim': 'окончательный ответ',
  return: 'возврат «не в компетенции»',
  'clarification-notice': 'уведомление о запросе уточнения',
  explanation: 'разъяснение',
  'author-reply': 'ожидание уточнения от автора',
};

export { NETWORK_LABELS } from '../../connectors/types.js';

/** A moment in the tenant's time zone: all staff-facing times are local (DESIGN: tenant time zone). */
export function localTime(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).setLocale('ru').toFormat('dd.MM.yyyy HH:mm');
}

export const REFUSAL =
  'Здравствуйте! Этот бот предназначен только для сотрудников администрации, зарегистрированных в системе «Отклик». ' +
  'Если вы сотрудник, передайте администратору системы ваш идентификатор Telegram: ';

export const STALE = 'Карточка устарела: другой сотрудник уже принял решение по этому обращению.';

export const HELP = [
  'Команды:',
  '/due — что у вас скоро истекает и что просрочено',
  '/card N — карточка обращения № N (например, отклонённого классификатором)',
  '/start — выбор администрации, если вы зарегистрированы в нескольких',
  '/login — одноразовая ссылка для входа в рабочее место в браузере',
  '/topics (или /темы) — рубрикатор тем: что относится к каждой теме и что нет',
  'Карточки обращений приходят сюда; действуйте кнопками под ними.',
].join('\n');
