import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { detectLanguage } from '../../classifiers/language.js';
import { ImportanceRules } from '../../classifiers/importance.js';
import { CompetenceRules } from '../../classifiers/competence.js';
import { Gazetteer, type GazetteerEntry } from '../../classifiers/location.js';

describe('language', () => {
  it.each([
    ['Здравствуйте, когда починят дорогу на улице Ленина? Ямы уже по колено', 'rus'],
    ['Нет воды', 'rus'],
    ['Доброго дня! Коли відремонтують дорогу біля школи? Діти ходять по багнюці', 'ukr'],
    ['Hello, when will the bus to the station run again on weekends?', 'eng'],
  ])('«%s» is %s', (text, code) => {
    expect(detectLanguage(text).code).toBe(code);
  });

  it('flags a non-Russian message without rejecting it', () => {
    expect(detectLanguage('Hello, when will the bus to the station run again on weekends?').russian).toBe(false);
  });
});

describe('importance', () => {
  const rules = new ImportanceRules();
  it.each([
    ['Третий день нет воды во всём доме', 'Нет водоснабжения'],
    ['Батареи ледяные, в квартире +13', 'Температура в помещении ниже 18 °C'],
    ['На улице оборванный провод лежит на земле', 'Опасные провода'],
    ['В подъезде сильно пахнет газом', 'Газ: утечка или отключение'],
    ['Горит сарай за домом', 'Пожар'],
    ['Затопило подвал и первый этаж', 'Подтопление или паводок'],
    ['По стене дома пошла трещина, боимся обрушения', 'Угроза обрушения'],
    ['Открытый люк у детской площадки', 'Опасность для детей и жителей'],
    ['Без света сидит вся улица', 'Затронуто много людей'],
  ])('«%s» is high: %s', (text, reason) => {
    const v = rules.assess(normalize(text));
    expect(v.value).toBe('high');
    expect(v.reason).toContain(reason);
  });

  it.each(['Фонарь во дворе не горит', 'Фонари на бульваре горят днём и гаснут ночью', 'Когда покрасят лавочки в сквере?', 'Спасибо за новую площадку', 'Автобус опоздал на 10 минут'])(
    '«%s» is normal', (text) => {
      expect(rules.assess(normalize(text))).toEqual({ value: 'normal', reason: '', evidence: [] });
    },
  );

  it('takes a tenant sign list', () => {
    const own = new ImportanceRules([{ pattern: 'паром не ходит', reason: 'Нет переправы' }]);
    expect(own.assess(normalize('Паром не ходит второй день')).reason).toBe('Нет переправы');
  });
});

describe('competence', () => {
  const rules = new CompetenceRules();
  it.each([
    ['Почему пенсию не пересчитали после индексации?', 'Социальный фонд России'],
    ['Судебные приставы списали деньги с карты', 'суды и ФССП'],
    ['Хочу написать заявление в полицию на соседа, он украл дрова', 'МВД'],
    ['Работодатель не платит зарплату третий месяц', 'трудовая инспекция'],
  ])('«%s» is suggested as outside competence (%s)', (text, area) => {
    expect(rules.suggest(normalize(text))).toMatchObject({ label: 'вне компетенции', area });
  });

  it.each([
    'Когда отремонтируют дорогу на Садовой?',
    'Мобильная связь в посёлке не работает, МТС не отвечает',
    'Подростки пьют у гаражей, полиция не едет',
    'Прошу установить камеры у железнодорожного переезда',
    'Спасибо президенту и главе за новую школу',
    'Семье участника СВО положены дрова бесплатно? Куда писать?',
    'Почтальон не приносит пенсию пожилым, приходится ехать в город',
  ])('does not suggest it for a municipal matter or a mere mention: «%s»', (text) => {
    expect(rules.suggest(normalize(text))).toBeNull();
  });
});

describe('location', () => {
  const entries: GazetteerEntry[] = [
    { name: 'Ключи', kind: 'settlement' },
    { name: 'Вятские Поляны', kind: 'settlement' },
    { name: 'улица Ленина', kind: 'street', settlement: 'Ключи' },
    { name: 'улица Мира', kind: 'street' },
    { name: 'Советская улица', kind: 'street' },
    { name: 'парк Победы', kind: 'landmark' },
    { name: 'Заречный', kind: 'district', aliases: ['микрорайон Заречный'] },
  ];
  const g = new Gazetteer(entries);
  const find = (text: string) => g.find(normalize(text));

  it.each([
    ['Яма на Ленина у магазина', 'улица Ленина'],
    ['Когда отремонтируют дорогу улицы Ленина?', 'улица Ленина'],
    ['В Ключах третий день нет света', 'Ключи'],
    ['Автобус до Ключей не ходит', 'Ключи'],
    ['Разбита дорога по ул. Мира', 'улица Мира'],
    ['Снег не чистят на Советской улице', 'Советская улица'],
    ['В Вятских Полянах закрыли баню', 'Вятские Поляны'],
    ['В парке Победы сломаны скамейки', 'парк Победы'],
    ['В Заречном нет освещения', 'Заречный'],
  ])('«%s» → %s', (text, value) => {
    expect(find(text)?.value).toBe(value);
  });

  it('prefers the street to the settlement that contains it', () => {
    const g2 = new Gazetteer([{ name: 'Петуховка', kind: 'settlement' }, { name: 'Садовая улица', kind: 'street', settlement: 'Петуховка' }]);
    expect(g2.find(normalize('В Петуховке на Садовой нет света'))).toMatchObject({ value: 'Садовая улица', settlement: 'Петуховка' });
  });

  it('reads the house number', () => {
    expect(find('Течёт крыша в доме ул. Ленина, д. 5')).toMatchObject({ value: 'улица Ленина', house: '5', confidence: 'high' });
  });

  it('does not take a common word for a street without a marker', () => {
    expect(find('Мира и согласия всем жителям')).toBeNull();
    expect(find('Спасибо за победы наших спортсменов')).toBeNull();
  });

  it('returns nothing without a gazetteer', () => {
    expect(new Gazetteer([]).find(normalize('В Ключах нет света'))).toBeNull();
  });
});
