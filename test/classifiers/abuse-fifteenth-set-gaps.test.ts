import { describe, expect, it } from '@jest/globals';
import { Classifier } from '../../classifiers/verdict.js';

// Gaps the fifteenth and sixteenth blind sets showed, written as rules for any writer and
// checked both ways: what must be rejected and the nearest texts that must stay acceptable.
// The rules alone decide the rejections (no model), so a rule that stops firing fails; the
// acceptable texts are checked with the shipped classifier too, as a curator would see them.
const rules = new Classifier({ abuseModel: null });
const shipped = new Classifier();
const reason = (text: string): string | null => rules.classify(text).reasonCode;

function accepted(text: string): void {
  expect(reason(text)).toBeNull();
  expect(shipped.classify(text).rejected).toBe(false);
}

describe('harm promised in the first person without a listed verb', () => {
  it.each([
    ['Я собираюсь порезать колёса всем машинам во дворе', 'threat'],
    ['Хочу проколоть шины этому соседу, паркуется на газоне', 'harm-intent'],
    ['Завтра спилю опору с этой вышкой у гаражей', 'threat'],
    ['Котят этих из-под лестницы утоплю в пруду, надоели', 'threat'],
    ['Соседу в морду дам, если ещё раз машину поставит у подъезда', 'harm-intent'],
    ['перережу шланг у соседа на огороде, пусть знает', 'harm-intent'],
    ['Буду валить этих браконьеров из ружья, раз полиция не едет', 'threat'],
  ])('rejects «%s»', (text, code) => {
    expect(reason(text)).toBe(code);
  });

  it.each([
    'Я порежу хлеб и сало к столу на празднике двора',
    'Спилю сухую ветку у своего дома сам, не ждите',
    'Глава перережет ленточку, а я перережу ленточку на открытии площадки',
    'Сосед орал на весь двор: «в морду дам», вызовите участкового',
    'охотники стреляют из карабина по лосям у деревни',
    'Собираюсь поменять колёса на зимние, где шиномонтаж работает?',
  ])('accepts «%s»', accepted);
});

describe('veiled threats', () => {
  it.each([
    'глава поселения, ходи теперь оглядывайся',
    'Передайте начальнику ЖЭКа: его дача у меня на примете',
  ])('rejects «%s»', (text) => {
    expect(reason(text)).toBe('threat');
  });

  it.each([
    'оглядывайся на переходе у школы, там машины летят',
    'у меня на примете хороший мастер по крышам, кто ищет',
  ])('accepts «%s»', accepted);
});

describe('insults the lexicon did not reach', () => {
  it.each([
    'Вы там все конченые в этой управе?',
    'долбоёпы из водоканала опять яму бросили',
    'все чиновники — шлак и пиявки',
    'торговцы на рынке — кулачьё жадное',
  ])('rejects «%s»', (text) => {
    expect(reason(text)).toBe('insult');
  });

  it.each([
    'Котёл заменили, шлак вывезите со двора',
    'пиявки в пруду развелись, купаться страшно',
    'чурок дров наколол, печь топлю, а угля не привезли',
  ])('accepts «%s»', accepted);
});

describe('an ethnic slur with a call to drive people out', () => {
  it('is a call to violence', () => {
    expect(reason('Мужики, гоните этих чурок со двора')).toBe('violence-call');
  });
});

describe('an advert posing as a neighbour\'s tip', () => {
  it.each([
    'Кто ищет доски — у свата пилорама, цены ниже рынка. Телефон 89181112233',
    'Продаю картошку, мешок 600, доставка. Номер в профиле',
  ])('rejects «%s»', (text) => {
    expect(reason(text)).toBe('advertising');
  });

  it.each([
    'Хочу купить шифер, подскажите, где продают? Доставка нужна',
    'Доставка пенсии опять задерживается, почтальон не приходит',
  ])('accepts «%s»', accepted);
});

describe('idioms that only sound violent or insulting', () => {
  it.each([
    'Во дворе подростки до ночи режутся в дурака под окнами, шумят',
    'На спуске к реке лёд, ноги переломать можно, посыпьте песком',
    'мальчишки играют в подкидного дурака на лавочке',
  ])('accepts «%s»', accepted);

  it.each([
    'Этому водителю ноги переломать надо, чтобы не гонял',
    'ты дурак, раз так отвечаешь людям',
  ])('still rejects «%s»', (text) => {
    expect(reason(text)).not.toBeNull();
  });
});
