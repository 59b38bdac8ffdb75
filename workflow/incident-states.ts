// The states of an incident, each with the Russian label staff read in Compass and in the
// staff bot. A state says where the work is and who holds it; the channel an answer went
// out by is recorded in `publication.outcome`, so only the final answer has two published
// states (public and private), because the monthly report counts those apart (001 [20]).
export const INCIDENT_STATES = [
  'new',
  'rejected',
  'triage',
  'assigned',
  'draft',
  'review',
  'rework',
  'approved',
  'publishing',
  'published',
  'published-private',
  'closed-no-channel',
  'awaiting-final',
  'awaiting-author',
  'returned',
  'explained',
  'converted',
  // Appended last: the staff bot's callback data names a state by its index here.
  'closed-no-reply',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export interface StateInfo {
  /** «Передано исполнителю»: the label in Compass (`stateLabel`) and on bot cards. */
  readonly label: string;
  /** «передано исполнителю»: how a sentence to staff names it («Обращение уже …»). */
  readonly phrase: string;
  /** Who is expected to act next: the bot shows the card to them. */
  readonly holder: 'system' | 'curator' | 'executor' | 'author' | 'nobody';
  /** No command leads out of it except the curator's overturn of a rejection. */
  readonly final: boolean;
}

export const STATE_INFO: Readonly<Record<IncidentState, StateInfo>> = {
  new: { label: 'Новое', phrase: 'ожидает классификации', holder: 'system', final: false },
  // 000 [3], 001 [22], 004 [3.6]: not processed and not answered, with the reason.
  rejected: { label: 'Отклонено', phrase: 'отклонено', holder: 'nobody', final: false },
  // 000 [9], 001 [7]: the curator sets topic, location, importance and the department.
  triage: { label: 'На распределении', phrase: 'на распределении у куратора', holder: 'curator', final: false },
  assigned: { label: 'Передано исполнителю', phrase: 'передано исполнителю', holder: 'executor', final: false },
  draft: { label: 'Готовится ответ', phrase: 'в работе у исполнителя', holder: 'executor', final: false },
  // 000 [11], 001 [13]
  review: { label: 'На согласовании', phrase: 'на согласовании у куратора', holder: 'curator', final: false },
  // 000 [12], 001 [15]
  rework: { label: 'На доработке', phrase: 'на доработке у исполнителя', holder: 'executor', final: false },
  approved: { label: 'Согласовано', phrase: 'согласовано и ждёт публикации', holder: 'system', final: false },
  publishing: { label: 'Публикуется', phrase: 'публикуется', holder: 'system', final: false },
  published: { label: 'Опубликовано', phrase: 'опубликовано', holder: 'nobody', final: true },
  // 001 [20]: the public reply was blocked; the answer went as a private message.
  'published-private': { label: 'Отправлено личным сообщением', phrase: 'отправлено личным сообщением', holder: 'nobody', final: true },
  // 001 [20]: the stage «Готово» with the reason below.
  'closed-no-channel': { label: 'Готово', phrase: 'закрыто без публикации (нет технической возможности)', holder: 'nobody', final: true },
  // 000 [15], 002 [9]: after an interim answer the final one is due in 7 working days.
  'awaiting-final': { label: 'Ожидается окончательный ответ', phrase: 'ожидает окончательного ответа', holder: 'executor', final: false },
  // 001 [17]: a question went back to the author; their reply returns the work to the executor.
  'awaiting-author': { label: 'Ожидается уточнение от автора', phrase: 'ожидает уточнения от автора', holder: 'author', final: false },
  // 001 [11]: the executor handed it back as not their department's competence.
  returned: { label: 'Возвращено (не в компетенции)', phrase: 'возвращено исполнителем как не относящееся к его компетенции', holder: 'curator', final: false },
  // 004 [3.7]
  explained: { label: 'Дано разъяснение', phrase: 'закрыто разъяснением', holder: 'nobody', final: true },
  // 004 [3.8]: registered as a formal appeal; 59-ФЗ terms run in the document system from here.
  converted: { label: 'Оформлено обращение по 59-ФЗ', phrase: 'оформлено как обращение по 59-ФЗ', holder: 'nobody', final: true },
  // 001 [17] and our reading of the wait (profiles.ts 'author-reply'): the curator closed it without the author's reply.
  'closed-no-reply': { label: 'Готово', phrase: 'закрыто: автор не ответил на запрос уточнения', holder: 'nobody', final: true },
};

/** 001 [20]: the reason the regulation prescribes for «Готово» without a reply. */
export const NO_CHANNEL_REASON = 'Отсутствие технической возможности для публикации ответа пользователю';

export function stateLabel(state: IncidentState): string {
  return STATE_INFO[state].label;
}

export function isIncidentState(value: string): value is IncidentState {
  return (INCIDENT_STATES as readonly string[]).includes(value);
}

/** Publication outcomes as stored in `publication.outcome`, with their Compass labels. */
export const PUBLICATION_OUTCOMES = {
  public: 'Опубликован ответ в том же месте',
  private: 'Отправлено личным сообщением',
  'no-channel': NO_CHANNEL_REASON,
} as const;
export type PublicationOutcome = keyof typeof PUBLICATION_OUTCOMES;
