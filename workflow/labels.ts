// One table of Russian labels per concept, for every screen that shows them: the web
// workplace, the staff bot, the CLI, Compass readers and the monthly report import them
// from here instead of keeping their own copies. Labels are written to stand alone on a
// button or in a column; the sentence forms («обращение на согласовании у куратора») stay
// in STATE_INFO.phrase. Pure data: this file imports no workflow code at run time except
// the modules that define the concepts' own lists.
import { REASON_LABELS } from '../classifiers/types.js';
import { DRAFT_KIND_LABELS } from './draft-check.js';
import type { CommandType, ExplanationGround, RejectReason } from './incident-machine.js';
import { INCIDENT_STATES, PUBLICATION_OUTCOMES, STATE_INFO, type IncidentState } from './incident-states.js';
import type { Step } from './profiles.js';
import { ABSENCE_LABELS, type StaffRole } from './routing.js';

export { ABSENCE_LABELS, DRAFT_KIND_LABELS };

/** «На согласовании»: the state as Compass (`stateLabel`), cards and lists show it. */
export const STATE_LABELS: Readonly<Record<IncidentState, string>> = Object.fromEntries(
  INCIDENT_STATES.map((s) => [s, STATE_INFO[s].label]),
) as Record<IncidentState, string>;

/** «Согласовать ответ»: the command as a button, an infinitive. The transition table uses these. */
export const COMMAND_LABELS: Readonly<Record<CommandType, string>> = {
  classify: 'Классифицировать',
  reject: 'Отклонить',
  overturn: 'Вернуть в работу отклонённое',
  'link-repeat': 'Отметить как повторное',
  'unlink-repeat': 'Снять отметку о повторе',
  'confirm-and-route': 'Направить исполнителю',
  reassign: 'Передать другому исполнителю',
  take: 'Взять в работу',
  'pass-on': 'Передать следующему подразделению',
  'return-not-competent': 'Вернуть как не относящееся к компетенции',
  'submit-draft': 'Направить проект на согласование',
  approve: 'Согласовать ответ',
  'edit-and-approve': 'Исправить и согласовать',
  'return-for-rework': 'Вернуть на доработку',
  'set-promised-date': 'Указать дату окончательного ответа',
  'set-public-interest': 'Отметить ответ как представляющий общий интерес',
  'publish-started': 'Начать публикацию',
  published: 'Опубликовано',
  'published-privately': 'Отправлено личным сообщением',
  'no-channel': 'Готово: нет технической возможности',
  'resolve-delivery': 'Отметить результат публикации вручную',
  'author-replied': 'Автор ответил на уточнение',
  'close-no-reply': 'Закрыть: автор не ответил',
  'resume-without-reply': 'Продолжить без ответа автора',
  'convert-to-appeal': 'Оформить обращение по 59-ФЗ',
};

/** «согласование проекта ответа»: a deadline's step, as in «срок «…» истекает». */
export const STEP_LABELS: Readonly<Record<Step, string>> = {
  triage: 'распределение обращения',
  answer: 'ответ автору',
  draft: 'подготовка проекта ответа',
  review: 'согласование проекта ответа',
  rework: 'доработка проекта ответа',
  publish: 'размещение ответа',
  'final-after-interim': 'окончательный ответ после промежуточного',
  return: 'возврат обращения, не относящегося к компетенции',
  'clarification-notice': 'уведомление о запросе уточнения',
  explanation: 'разъяснение',
  'author-reply': 'ожидание уточнения от автора',
};

/** Who acts: the staff roles of a tenant's file and the system's own processes. */
export const ROLE_LABELS: Readonly<Record<StaffRole | 'system', string>> = {
  system: 'система',
  curator: 'куратор',
  executor: 'исполнитель',
  admin: 'администратор',
  head: 'руководитель',
};

// 000 [3], 001 [22], 002 [12], 004 [3.6]: the classifier's grounds, with the two only a curator gives.
export const REJECT_REASON_LABELS: Readonly<Record<RejectReason, string>> = {
  ...REASON_LABELS,
  competence: 'Вопрос не относится к компетенции администрации',
  other: 'Иная причина',
};

/** 004 [3.7]: why an explanation is given instead of an answer. */
export const EXPLANATION_GROUND_LABELS: Readonly<Record<ExplanationGround, string>> = {
  'not-competent': 'вопрос не относится к компетенции главы и органов местного самоуправления',
  unlawful: 'требование действий в обход закона или злоупотребление правом',
  court: 'обжалование судебных актов',
  'already-answered': 'по существу вопроса неоднократно давались ответы',
};

/** How an answer left: `publication.outcome` with its Compass label. */
export const PUBLICATION_OUTCOME_LABELS = PUBLICATION_OUTCOMES;
