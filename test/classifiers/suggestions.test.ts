import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { detectLanguage } from '../../classifiers/language.js';
import { ImportanceRules } from '../../classifiers/importance.js';
import { CompetenceRules } from '../../classifiers/competence.js';
import { Gazetteer, type GazetteerEntry } from '../../classifiers/location.js';
import { Classifier } from '../../classifiers/verdict.js';
import { defaultTopicModel } from '../../classifiers/default-model.js';

describe('language', () => {
  it.each([
    ['Здравствуйте, когда починят дорогу на улице Ленина? Ямы уже по колено', 'rus'],
    ['Нет воды', 'rus'],
    ['Доброго дня! Коли відремонтують дорогу біля школи? Діти ходять по багнюці', 'ukr'],
    ['Hello, when will the bus to the station run again on weekends?', 'eng'],
    ['Опять пункт № 5 закрыт — курьер берёт 300 ₽… «Ждите», говорят. Кв. 12, на улице +5 °C', 'rus'],
    ['Сәлеметсіз бе, жол қашан жөнделеді? Балалар мектепке бара алмайды', 'kaz'],
    ['ok', 'und'],
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
    'Ветеранам СВО положена помощь с ремонтом крыши? Куда обращаться?',
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

describe('importance: denials, suppositions and the dangers that matter', () => {
  const rules = new ImportanceRules();
  const high = (text: string): boolean => rules.assess(normalize(text)).value === 'high';

  it.each([
    'аварии нет, просто плановое отключение воды на Гоголя — до какого числа?',
    'угрозы подтопления нет, но вода в реке поднимается, держите в курсе',
    'пожара не было, соседи жарили шашлык, а кто-то вызвал МЧС',
    'если не починят крышу до зимы, может случиться обрушение потолка',
    'если дом оставят без света на праздники, будет катастрофа',
  ])('is not high when denied or only feared: «%s»', (text) => {
    expect(high(text)).toBe(false);
  });

  it.each([
    ['люк открытый посреди тротуара на Мира, ребёнок чуть не провалился', 'Опасность для детей и жителей'],
    ['Стая бродячих собак покусала ребёнка у школы!', 'Животное напало на человека'],
    ['собака укусила первоклассника на площадке', 'Животное напало на человека'],
    ['дерево упало на линию электропередачи на Садовой, провода искрят', 'Опасные провода'],
    ['из-за ледяного дождя оборвало провода на нашей улице', 'Опасные провода'],
    ['батареи холодные, а на улице минус двадцать', 'Нет отопления в мороз'],
    ['температура в квартире не превышает 14 градусов', 'Температура в помещении ниже 18 °C'],
    ['в квартирах 12-14 градусов, дети болеют', 'Температура в помещении ниже 18 °C'],
    ['мужик с ножом ходит по двору и кричит', 'Угроза жизни и здоровью'],
  ])('is high: «%s» (%s)', (text, reason) => {
    const v = rules.assess(normalize(text));
    expect(v.value).toBe('high');
    expect(v.reason).toContain(reason);
  });

  it.each([
    'в подъезде нет света на трёх этажах', 'Знак "пешеходный переход" сбили и не восстановили', 'где в посёлке пожарный водоём?',
    'регоператор начисляет за вывоз мусора на умершую маму', 'на перекрёстке без светофора бьются машины', 'подвал затоплен, комары тучей',
    'в клубе нет отопления, бабушки репетируют в пальто', 'хотя температура воды 35 градусов вместо 60', 'в комнате +19, прохладно, но терпимо',
    'борщевик по всей улице', 'стая собак у школы, дети боятся ходить',
  ])('is normal: «%s»', (text) => {
    expect(high(text)).toBe(false);
  });
});

describe('topics', () => {
  const classifier = new Classifier();
  const topic = (text: string): string => classifier.classify(text).topic.value;

  it.each([
    ['Стая бездомных собак у гаражей бросается на людей, когда отловят?', 'безнадзорные животные'],
    ['В деревне нет мобильной связи и интернета, даже скорую не вызвать', 'связь и интернет'],
    ['Машины паркуются на газоне и тротуаре, сделайте парковку во дворе', 'парковки'],
    ['Где поставить прививку от клещевого энцефалита взрослому?', 'здравоохранение'],
    ['Единое пособие на детей не пришло второй месяц', 'социальная защита'],
  ])('«%s» is about %s', (text, value) => {
    expect(topic(text)).toBe(value);
  });

  it.each([
    ['Какие документы нужны в МФЦ для оформления субсидии на коммуналку?', 'социальная защита'],
    ['В МФЦ не принимают документы на межевание земельного участка', 'градостроительство и земля'],
    ['Справку для бассейна даёт педиатр, а педиатра в поликлинике нет', 'здравоохранение'],
  ])('does not let paperwork words outweigh the subject: «%s»', (text, value) => {
    expect(topic(text)).toBe(value);
  });

  it.each([
    ['у нас на площадке возле домов мусор не забирают уже неделю', 'экология и отходы'],
    ['Управляйка второй месяц не может починить домофон', 'ЖКХ'],
    ['горячку дадут к выходным?', 'ЖКХ'],
    ['на трассе у заправки яма, у меня лопнула шина', 'дороги'],
    ['Сколько можно ждать ответа? Пишу вам уже месяц', 'другое'],
  ])('reads comments as they are written: «%s» is about %s', (text, value) => {
    expect(topic(text)).toBe(value);
  });

  it.each([
    ['Во дворе дома на Парковой улице вторую неделю не вывозят мусор', 'экология и отходы'],
    ['На Больничной улице третий день нет холодной воды', 'ЖКХ'],
    ['Опять нет воды на улице Гагарина, дом 14, уже неделю', 'ЖКХ'],
  ])('takes a street name for a place, not for the subject: «%s»', (text, value) => {
    expect(topic(text)).toBe(value);
  });

  it('shows a calibrated confidence and the runner-up', () => {
    const sure = classifier.classify('Третий день нет горячей воды, управляющая компания не отвечает на заявки').topic;
    const unsure = classifier.classify('Обещали, обещали и опять ничего').topic;
    expect(sure.confidence).toBeGreaterThan(unsure.confidence);
    expect(sure.second).not.toBeNull();
    expect(sure.second!.value).not.toBe(sure.value);
    expect(sure.confidence + sure.second!.confidence).toBeLessThanOrEqual(1.0005);
  });

  it('keeps the calibration in the stored model, measured when trained', () => {
    const data = defaultTopicModel().toJSON();
    expect(data.calibration?.p.length).toBeGreaterThan(3);
    const { p, right } = data.calibration!;
    for (let i = 1; i < p.length; i++) { expect(p[i]!).toBeGreaterThanOrEqual(p[i - 1]!); expect(right[i]!).toBeGreaterThanOrEqual(right[i - 1]!); }
  });
});
