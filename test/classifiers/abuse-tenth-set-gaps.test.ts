import { describe, expect, it } from '@jest/globals';
import { Classifier } from '../../classifiers/verdict.js';

// The gaps the tenth blind set showed, written as rules for any writer and checked both ways:
// the innocent sense of the same words stays acceptable. The rules alone decide here (no
// model), so a rule that stops firing fails the test.
const rules = new Classifier({ abuseModel: null });
const reason = (text: string): string | null => rules.classify(text).reasonCode;

describe('a question about what one is owed is no advert', () => {
  it.each([
    'Ветерану труда положена скидка на дрова в Ягельном? Печное отопление, дрова 9 тысяч куб',
    'Пенсионерам положена компенсация за уголь? Уголь 12 тысяч тонна, скидку обещали',
    'Имею ли я право на скидку по оплате ЖКУ? Плачу 7 тыс в месяц',
  ])('accepts «%s»', (text) => {
    expect(reason(text)).toBeNull();
  });

  it.each([
    'Скидка 20% на дрова! 9 тысяч куб, звоните 89001234567',
    'Вам положена компенсация? Дрова со скидкой 9 тысяч куб, звоните 89001234567',
    'Вам положена скидка! Дрова березовые колотые 9 тыс куб',
  ])('still rejects the advert «%s»', (text) => {
    expect(reason(text)).toBe('advertising');
  });
});

describe('first-person intents to harm a person, an animal or property', () => {
  it.each([
    'Кошек из подвала перетравлю всех, крысиный яд уже купил',
    'перетравлю всех кошек во дворе',
    'Собаку соседа повешу на заборе, чтобы другим неповадно',
    'Спалю этот барак к чертям, может тогда нас расселят',
    'Сосед опять пьяный, сейчас пойду и вырублю его',
    'прибью его, если ещё раз так сделает',
    'Эту вашу новую детскую площадку я лично разломаю ночью',
    'Лягу под КАМАЗ на выезде, пусть хоть так заметят',
    'Не выполните обещание — я приду, и мало вам не покажется',
  ])('rejects «%s»', (text) => {
    expect(reason(text)).not.toBeNull();
  });

  it.each([
    'Вырублю кусты у подъезда сам, раз никто не может',
    'Старый тополь засох, вырублю его сам весной',
    'Спалю ужин опять, пока жду сантехника',
    'Повешу табличку у подъезда, чтобы не парковались',
    'Прибью полку в подъезде сам, раз УК не может',
    'Перетравлю тараканов сам, раз управляйка не чешется',
    'Перетравлю крыс в подвале, яд купил',
    'Наша команда вчера разгромила соперника, в субботу снова их разгромим',
    'В субботу свою старую беседку разломаю, дрова будут',
  ])('accepts «%s»', (text) => {
    expect(reason(text)).toBeNull();
  });
});

describe('wishes of expulsion, death or disaster', () => {
  it.each([
    'Вывезти бы всех приезжих в тундру и оставить там при минус 50',
    'чтоб ему самолёт его на материк разбился, главе нашему',
    'чтоб вы все замёрзли в своих кабинетах',
    'Я бы их всех выгнал на мороз голыми, пусть постоят',
    'Собрать мужиков, прийти в администрацию и выкинуть всех из окон',
  ])('rejects «%s» as a call to violence', (text) => {
    expect(reason(text)).toBe('violence-call');
  });

  it.each([
    'Молимся, чтоб самолёт не разбился в такую погоду',
    'Вывезти бы мусор со двора, месяц стоит',
    'Вывезти бы снег со двора в тундру, уже до окон',
    'Утеплите подъезд, чтобы дети не замёрзли',
    'Пусть водители не замёрзнут на остановке, поставьте павильон',
  ])('accepts «%s»', (text) => {
    expect(reason(text)).toBeNull();
  });
});

describe('insults by metaphor, said of people', () => {
  it.each([
    ['Участковый Гусев — бесполезный кусок мяса', 'кусок мяса'],
    ['ты просто кусок мяса, а не начальник', 'кусок мяса'],
    ['Материковские крысы приезжают, хапнут и сваливают', 'материковские крысы'],
    ['крысы канцелярские, когда дорогу сделаете', 'крысы канцелярские'],
    ['Бабки в поликлинике, старые кошёлки, всю очередь занимают с 6 утра', 'старые кошелки'],
  ])('rejects «%s» as an insult (%s)', (text, words) => {
    const v = rules.classify(text);
    expect(v.reasonCode).toBe('insult');
    expect(v.evidence.join(' ').toLowerCase().replace(/ё/g, 'е')).toContain(words);
  });

  it.each([
    'В подвале крысы, кусок мяса бросили и ушли',
    'Крысы в подвале бегают, вызовите дезинсекцию',
    'В магазине кусок мяса продали тухлый',
    'Продавец мне кусок мяса взвесил неправильно',
    'Бабушка с кошёлкой с картошкой еле поднялась в автобус',
    'Нашла старую кошёлку в подвале, чья?',
  ])('accepts «%s»', (text) => {
    expect(reason(text)).toBeNull();
  });
});

describe('misspelt and masked abuse', () => {
  it.each([
    ['Подрядчик — жулик и рукожоп, положил плитку в снег', 'insult'],
    ['дАлбаящеры а не начальство', 'insult'],
    ['ну вы и пи...сы в этой управляйке, третью неделю без воды', 'obscene'],
  ])('rejects «%s» as %s', (text, code) => {
    expect(reason(text)).toBe(code);
  });

  it.each([
    'ну...да, так и живём',
    'Мусорка переполнена, мусоровоз не едет',
  ])('accepts «%s»', (text) => {
    expect(reason(text)).toBeNull();
  });
});

describe('the author comparing himself to a fool insults no one', () => {
  it.each([
    'Опять по стояку воду отключили без объявления, стою в пене как дурак',
    'сижу как дура без света третий час',
    'чувствую себя идиотом после вашего ответа',
  ])('accepts «%s»', (text) => {
    expect(reason(text)).toBeNull();
  });

  it('still rejects the same comparison said of the reader', () => {
    expect(reason('Глава, ты стоишь как дурак')).toBe('insult');
  });
});
