import { describe, expect, it } from '@jest/globals';
import { Classifier } from '../../classifiers/verdict.js';
import { normalize } from '../../classifiers/normalize.js';
import { ABUSE_WEIGHTS } from '../../classifiers/data/abuse-weights.js';

// The model's veto overrules the rules where it is sure a text is acceptable: surnames,
// quoted spam, «убить полчаса». A whole мат word as the dictionary spells it is no look-alike
// it could be right about: a long, polite complaint with one «нихуя» in it is still
// obscene. Each text is checked to score below the veto, so the test exercises it.
const shipped = new Classifier();
const rules = new Classifier({ abuseModel: null });
const score = (text: string): number => shipped.abuseScore(normalize(text))!.reject;

describe('the veto and plain мат', () => {
  it.each([
    'Здравствуйте. В посёлке третий месяц не работает уличное освещение, обращались в управу, в сетевую компанию, писали в приёмную главы, а там нихуя не делают. Вечером дети возвращаются из школы в темноте по обочине, прошу разобраться и назначить срок ремонта',
    'Добрый день. Подскажите, кто отвечает за ремонт моста через ручей у фермы? Весной его размыло, объезд через соседнее село 15 км, автобус не ходит, скорая не проедет. Обещали в мае, сейчас ноябрь, и нихуя. Прошу ответить по существу',
    'Уважаемая администрация, в нашем подъезде уже полгода не работает лифт, управляющая компания нихуя не делает, на звонки не отвечает. В доме живут пожилые люди и мамы с колясками, девятый этаж. Просим проверить УК и назначить срок ремонта',
  ])('keeps the obscene rule\'s rejection of «%s»', (text) => {
    expect(score(text)).toBeLessThan(ABUSE_WEIGHTS.thresholds.veto);
    expect(shipped.classify(text).reasonCode).toBe('obscene');
  });

  it('still lets the veto overrule a surname the obscene rule reads by its root', () => {
    const text = 'Фамилия у меня Хуеглотов, да, так бывает. В МФЦ второй раз выдали справку с ошибкой, исправьте пожалуйста';
    expect(rules.classify(text).reasonCode).toBe('obscene');
    expect(score(text)).toBeLessThan(ABUSE_WEIGHTS.thresholds.veto);
    expect(shipped.classify(text).rejected).toBe(false);
  });
});
