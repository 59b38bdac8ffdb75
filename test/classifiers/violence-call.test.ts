import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { detectViolenceCall } from '../../classifiers/violence-call.js';

const call = (text: string): boolean => detectViolenceCall(normalize(text)) !== null;

describe('calls to violence or to overthrow the government', () => {
  it.each([
    'Бейте чиновников', 'Надо их всех расстрелять', 'Депутатов на вилы', 'Смерть чиновникам!', 'Пора свергнуть власть',
    'Берите вилы и к администрации', 'Нужна революция', 'Возьмём мэрию штурмом', 'Их всех перевешать надо',
    'Надо повесить главу на площади', 'Депутатов вешать надо', 'Сжечь бы эту управу вместе с начальником',
  ])('finds «%s»', (text) => {
    expect(call(text)).toBe(true);
  });

  it.each([
    'Надо повесить знак у школы', 'Пора сжечь сухие листья, можно ли?', 'Бей тревогу, если видишь дым', 'Вешайте объявления на доску',
    'Надо убрать мусор с площади', 'Поставьте лавочку к стенке дома', 'Посадить деревья надо во дворе',
    'Соседка пишет «всех на вилы», это нормально?',
  ])('does not flag «%s»', (text) => {
    expect(call(text)).toBe(false);
  });

  it.each(['б е й т е чиновников', 'РАССТРЕЛЯТЬ их надо', 'на в-и-л-ы их'])('sees through «%s»', (text) => {
    expect(call(text)).toBe(true);
  });
});
