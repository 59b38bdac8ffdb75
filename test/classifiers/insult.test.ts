import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { detectInsult } from '../../classifiers/insult.js';

const insult = (text: string): boolean => detectInsult(normalize(text)) !== null;

describe('insults', () => {
  it.each([
    'Глава района — мразь', 'Вы там все дебилы?', 'Идиоты, кто так строит', 'Чиновники — дармоеды и ворюги',
    'Депутаты твари', 'Уроды из ЖЭКа опять всё сломали', 'Вы воры', 'Мэр — клоун', 'Администрация — сборище бездарей и холуев',
    'Вы козлы, обещали и не сделали', 'Начальник ЖКХ тупой как пробка',
  ])('finds «%s»', (text) => {
    expect(insult(text)).toBe(true);
  });

  it.each([
    'Ужасная дорога, позор для города!', 'Бардак в управляющей компании, сколько можно терпеть?',
    'Воры залезли в гараж на Садовой, просим поставить камеры', 'Козёл соседа ест наши яблони',
    'Алкаши сидят на лавочке каждый вечер, вызовите полицию', 'Крысы в подвале бегают', 'Клоун на празднике был отличный',
    'Мошенники звонят пенсионерам от имени администрации',
    'Уродливый забор поставили у школы', 'Эти воры опять залезли в гараж', 'Эти животные бегают стаей у школы',
    'Привезли чурки вместо колотых дров', 'Обработайте парк от кровососущих насекомых', 'Чмоки всем, спасибо за праздник', 'Оскорбление чувств жителей — так нельзя вести дела',
  ])('does not flag angry but clean «%s»', (text) => {
    expect(insult(text)).toBe(false);
  });

  it.each([
    'Сосед назвал меня дебилом и уродом при детях', 'Водитель автобуса обозвал мою маму старой дурой',
    'Нам кричали «мрази» из окна', 'Учительница называет детей идиотами',
  ])('does not count an insult the citizen reports receiving: «%s»', (text) => {
    expect(insult(text)).toBe(false);
  });

  it.each(['Вы все ид1оты', 'д е б и л ы в мэрии', 'твaри вы', 'ДЕБИИИЛЫ'])('sees through «%s»', (text) => {
    expect(insult(text)).toBe(true);
  });

  it.each(['Идите вы в жопу со своими тарифами', 'Заткнитесь уже там в мэрии', 'Чтоб вы сдохли все', 'Закрой пасть, чиновник'])(
    'finds the set phrase of abuse «%s»', (text) => {
      expect(insult(text)).toBe(true);
    },
  );

  it('does not count a set phrase inside a quotation', () => {
    expect(insult('Сосед кричит мне «иди в жопу», что делать?')).toBe(false);
  });

  it('names the words as evidence', () => {
    expect(detectInsult(normalize('Вы воры и дебилы'))?.evidence).toEqual(['дебилы', 'воры']);
  });
});
