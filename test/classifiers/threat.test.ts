import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { detectThreat } from '../../classifiers/threat.js';
import { detectHarmIntent } from '../../classifiers/harm-intent.js';
import { Classifier } from '../../classifiers/verdict.js';

const threat = (text: string): boolean => detectThreat(normalize(text)) !== null;
const harm = (text: string): boolean => detectHarmIntent(normalize(text)) !== null;

describe('threats to officials and state bodies', () => {
  it.each([
    'Убью главу, если не сделает дорогу', 'Я вас всех перестреляю', 'Вашу мэрию сожгу', 'Тебе не жить, чиновник',
    'Знаю где ты живёшь', 'Приду в администрацию с ружьём', 'Кровью умоетесь', 'Голову оторву тому, кто подписал тариф',
    'Взорвём эту администрацию', 'Депутат, твоим детям конец', 'Мэр, мы тебя найдём', 'Я вас всех поубиваю', 'Мы знаем, где живёт ваш глава',
  ])('finds «%s»', (text) => {
    expect(threat(text)).toBe(true);
  });

  it.each([
    'Есть угроза обрушения крыши', 'Дом сгорел в прошлом году, помогите', 'Я чуть не убился на этой лестнице',
    'Сосед угрожает меня убить, полиция бездействует', 'Сосед кричит: «убью!», помогите', 'Сожгу мусор на своём участке, можно?',
    'Газ может взорваться, проверьте трубу', 'Надо убрать снег у школы', 'Отравлю крыс в подвале сам, если УК не может', 'Не могу найти вас на сайте', 'Вы ответите за бездействие перед прокуратурой',
  ])('does not flag «%s»', (text) => {
    expect(threat(text)).toBe(false);
  });

  describe('«прибью» with a thing as object is carpentry', () => {
    const classifier = new Classifier();

    it.each([
      'Сам прибью эту доску на лестнице, раз УК третий месяц не может, гвозди торчат прямо на уровне детских ног',
      'Прибью полку в подъезде сам, только разрешите',
      'Завтра прибью табличку с номером дома, раз управляющая не может',
      'Сам прибью объявление на доску у подъезда',
    ])('accepts «%s»', (text) => {
      expect(threat(text)).toBe(false);
      expect(classifier.classify(text).rejected).toBe(false);
    });

    it.each(['Прибью тебя, чиновник, если дорогу не сделаешь', 'Прибью этого урода из администрации', 'Глава, я тебя прибью'])('still rejects «%s»', (text) => {
      expect(classifier.classify(text).rejected).toBe(true);
    });
  });

  it.each(['y6ью вас всех', 'с о ж г у вашу мэрию', 'УБЬЮЮЮ вас'])('sees through «%s»', (text) => {
    expect(threat(text)).toBe(true);
  });
});

describe('intent to harm another person', () => {
  it.each([
    'Прибью соседа, если ещё раз поставит машину', 'Хочу избить этого алкаша', 'Бывшему мужу машину сожгу',
    'Соседке дом подожгу', 'Зарежу этого гада соседа',
  ])('finds «%s»', (text) => {
    expect(harm(text)).toBe(true);
    expect(threat(text)).toBe(false);
  });

  it.each(['Сосед бьёт жену, помогите', 'Соседа избили вчера хулиганы', 'Хочу побелить бордюры у дома'])('does not flag «%s»', (text) => {
    expect(harm(text)).toBe(false);
  });
});
