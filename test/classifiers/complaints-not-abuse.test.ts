import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { detectAdvertising } from '../../classifiers/advertising.js';
import { detectInsult } from '../../classifiers/insult.js';
import { detectObscene } from '../../classifiers/obscene.js';
import { detectViolenceCall } from '../../classifiers/violence-call.js';

// Real complaints that carry words of abuse without being abuse: a surname, a pronoun that
// stands for pests, spam quoted to report it, wrongdoing said of an office's staff. Each
// rule is checked both ways, so that the exception does not open a hole for abuse.

const obscene = (text: string): boolean => detectObscene(normalize(text)) !== null;
const insult = (text: string): boolean => detectInsult(normalize(text)) !== null;
const call = (text: string): boolean => detectViolenceCall(normalize(text)) !== null;
const advertising = (text: string): boolean => detectAdvertising(normalize(text)) !== null;

describe('a word named as a surname', () => {
  it.each([
    'в нашей школе завуч с фамилией Пиздюков, дети над ним смеются, можно ли помочь сменить?',
    'участковый по фамилии Ебанов на звонки не отвечает, где его найти',
  ])('is not мат: «%s»', (text) => {
    expect(obscene(text)).toBe(false);
  });

  it.each([
    'инспектор по фамилии Козлов принимает по вторникам, к нему очередь с утра',
    'ищем родственников ветерана, фамилия Придурков, воевал под Ржевом',
    'гражданин Дураков третий день ставит машину на газон у детской площадки',
  ])('is not an insult: «%s»', (text) => {
    expect(insult(text)).toBe(false);
  });

  it.each([
    ['по фамилии хуй он у нас, этот мастер', obscene],
    ['фамилия у него Дураков, а сам он дебил', insult],
    ['гражданин дурак, вы опять перекопали двор', insult],
    ['товарищ Сидоров, вы жулик', insult],
  ] as const)('still finds abuse beside a surname: «%s»', (text, detect) => {
    expect(detect(text)).toBe(true);
  });
});

describe('a pronoun that stands for pests', () => {
  it.each([
    'в подвале крысы размером с кошку, управляющая молчит. надо их уничтожить, пока не покусали детей',
    'клопы по всему общежитию, морим сами без толку. пора их всех уничтожить, вызовите санэпидстанцию',
      ])('is no call to violence: «%s»', (text) => {
    expect(call(text)).toBe(false);
  });

  it.each([
    'тараканов травят, а депутатов пора их всех расстрелять',
    'у мэра в кабинете тараканы, а сам он молчит. надо его расстрелять',
    'чиновники опять подняли тарифы. надо их всех перестрелять',
  ])('is a call when a person is named nearer: «%s»', (text) => {
    expect(call(text)).toBe(true);
  });
});

describe('spam quoted to report it', () => {
  it.each([
    'в чате дома опять спамер: «доход от 4000 в день, без вложений, пиши в лс». заблокируйте его',
    'админы, уберите пожалуйста, под постом про ремонт дорог бот рассылает «Кредит без отказа, заработок 70 000 в месяц»',
  ])('is a complaint, not advertising: «%s»', (text) => {
    expect(advertising(text)).toBe(false);
  });

  it.each([
    '«Заработок от 6000 в день» без вложений, пиши в лс',
    'Спам? Нет! Доход от 4000 в день без вложений, пиши в лс',
  ])('is still advertising when the author offers it: «%s»', (text) => {
    expect(advertising(text)).toBe(true);
  });
});

describe('wrongdoing said of an office\'s staff', () => {
  it.each([
    'воры в администрации поселения, куда ушли деньги на ремонт клуба? прошу прокурорскую проверку',
    'в управляющей одни мошенники, тариф подняли, а подъезд не убирают',
  ])('is an accusation a complaint may make: «%s»', (text) => {
    expect(insult(text)).toBe(false);
  });

  it.each([
    'Администрация поселения — воры и мошенники',
    'вы мошенники в управляющей, верните деньги',
    'глава поселения — жулик',
    'клоуны в администрации опять перенесли ремонт',
  ])('is an insult when said of the office itself, a person or the reader: «%s»', (text) => {
    expect(insult(text)).toBe(true);
  });
});
