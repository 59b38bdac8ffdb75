import { describe, expect, it } from '@jest/globals';
import { DRAFT_KINDS } from '../../workflow/draft-check.js';
import { TRANSITIONS } from '../../workflow/incident-machine.js';
import { INCIDENT_STATES } from '../../workflow/incident-states.js';
import {
  COMMAND_LABELS,
  DRAFT_KIND_LABELS,
  EXPLANATION_GROUND_LABELS,
  REJECT_REASON_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
  STEP_LABELS,
} from '../../workflow/labels.js';
import { STEPS } from '../../workflow/profiles.js';

const RUSSIAN = /^[А-ЯЁа-яё«][А-ЯЁа-яё0-9 ,.:;«»()\-—–]*$/;

describe('one table of Russian labels per concept, for every screen (issue 12, point 4)', () => {
  it.each([
    ['state', STATE_LABELS, [...INCIDENT_STATES]],
    ['command', COMMAND_LABELS, TRANSITIONS.map((t) => t.command)],
    ['step', STEP_LABELS, [...STEPS]],
    ['draft kind', DRAFT_KIND_LABELS, [...DRAFT_KINDS]],
    ['role', ROLE_LABELS, ['system', 'curator', 'executor', 'admin', 'head']],
  ] as Array<[string, Readonly<Record<string, string>>, string[]]>)('every %s has exactly one Russian label', (_concept, table, keys) => {
    expect(Object.keys(table).sort()).toEqual([...keys].sort());
    for (const key of keys) expect([key, RUSSIAN.test(table[key] ?? '')]).toEqual([key, true]);
  });

  it('the transition table and the role errors speak with the same labels', () => {
    for (const t of TRANSITIONS) expect(t.label).toBe(COMMAND_LABELS[t.command]);
    expect(STATE_LABELS.review).toBe('На согласовании');
    expect(STATE_LABELS['closed-no-channel']).toBe('Готово');
    expect(STEP_LABELS['author-reply']).toBe('ожидание уточнения от автора');
    expect(REJECT_REASON_LABELS.competence).toBe('Вопрос не относится к компетенции администрации');
    expect(EXPLANATION_GROUND_LABELS.court).toBe('обжалование судебных актов');
  });
});
