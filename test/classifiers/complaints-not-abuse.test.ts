import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { detectAdvertising } from '../../classifiers/advertising.js';
import { detectInsult } from '../../classifiers/insult.js';
import { detectObscene } from '../../classifiers/obscene.js';
import { detectViolenceCall } from '../../classifiers/violence-call.js';
import { Classifier } from '../../classifiers/verdict.js';

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
    'бабушке пришло смс «Зарабатывай 5000 в день» от имени администрации, предупредите людей что это мошенники',
    'В подъездах расклеили объявления про быстрые займы. Это мошенники, снимите пожалуйста',
  ])('is an accusation a complaint may make: «%s»', (text) => {
    expect(insult(text)).toBe(false);
  });

  it.each([
    'Администрация поселения — воры и мошенники',
    'вы мошенники в управляющей, верните деньги',
    'это вы мошенники, а не администрация',
    'глава поселения — жулик',
    'клоуны в администрации опять перенесли ремонт',
  ])('is an insult when said of the office itself, a person or the reader: «%s»', (text) => {
    expect(insult(text)).toBe(true);
  });
});

// The rules' false rejections on the tuning sets (comments-heldout-5.txt, corpus-a.txt,
// corpus-b.txt): each made the abuse model's threshold higher for every writer, since rules
// and model together may reject at most 0.5 % of each writer's complaints.
describe('a surname after a title, or before a name and patronymic', () => {
  it.each([
    ['директор школы Херов опять собирает на ремонт по 2000, это вообще нормально?', obscene],
    ['библиотекарь Хуйбер Анна Генриховна проводит чудесные чтения для детей, но зал маленький', obscene],
    ['Глава Баранов на сходе обещал провести свет к новым домам. Год прошёл', insult],
    ['терапевт Дураков Пётр Ильич очень внимательный врач, спасибо ему огромное', insult],
    ['Депутат Хохлов обещал лавочки у пятого дома ещё в мае. На дворе октябрь', insult],
  ] as const)('is no abuse: «%s»', (text, detect) => {
    expect(detect(text)).toBe(false);
  });

  it.each([
    ['глава наш баран упрямый, сколько можно', insult],
    ['мэр Козлов козёл', insult],
    ['директор школы дурак и вор', insult],
    ['депутат Иванов, ты дебил', insult],
  ] as const)('leaves the insult beside it: «%s»', (text, detect) => {
    expect(detect(text)).toBe(true);
  });
});

describe('words of abuse said of no one', () => {
  it.each([
    ['чтобы дойти до садика через двор надо убить полчаса обходя стройку, сделайте тропинку', call],
    ['Почту закрыли, пенсию теперь на карту, а банкомата нет. Убейте меня кто это придумал', call],
    ['Кто придумал эту идиотскую схему разворота у ТЦ? Три полосы сходятся в одну', insult],
    ['Животные тоже божьи твари, а приют на Промышленной без отопления. Помогите кормом', insult],
  ] as const)('is no abuse: «%s»', (text, detect) => {
    expect(detect(text)).toBe(false);
  });

  it.each([
    ['надо убить этих депутатов', call],
    ['убейте его кто-нибудь уже', call],
    ['вы идиоты в администрации', insult],
    ['твари вы, а не власть', insult],
  ] as const)('still finds it aimed at someone: «%s»', (text, detect) => {
    expect(detect(text)).toBe(true);
  });
});

describe('a question about selling, or sellers reported', () => {
  it.each([
    'Межевание где заказать недорого, чтобы соседу границу показать по закону',
    'стоят с табличками «продаю мед дешево» прямо на тротуаре у Центрального рынка, пройти невозможно, это законно?',
  ])('is no advertising: «%s»', (text) => {
    expect(advertising(text)).toBe(false);
  });
});

describe('words after a verb of saying whose object came before it', () => {
  it('are the author\'s own: «вы сами поняли, что написали, придурошная?»', () => {
    expect(insult('вы сами то поняли что написали, придурошная?')).toBe(true);
  });

  it('still leave a naming reported: «жалуюсь на соседа, что обозвал меня дурой»', () => {
    expect(insult('жалуюсь на соседа, что обозвал меня дурой при детях')).toBe(false);
  });
});

describe('a call the writer quotes only to refuse it', () => {
  it.each([
    'В чате ЖК один активист пишет «давайте сожжём этот шлагбаум к чертям». Ребят, ничего жечь не надо, давайте соберём подписи и отнесём в УК',
    'Сосед в чате пишет «депутата надо побить». Никого бить не надо, напишите лучше в прокуратуру',
    'Кто-то предлагает поджечь гаражи застройщика. Не надо ничего поджигать, это уголовное дело, пишите жалобы',
  ])('is no call: «%s»', (text) => {
    expect(call(text)).toBe(false);
  });

  it.each([
    'Жалеть их не надо, чиновников всех расстрелять надо',
    'Никого жалеть не надо, депутатов жечь надо',
    'Ничего, чиновников сжечь надо',
  ])('a refusal of another verb leaves the call: «%s»', (text) => {
    expect(call(text)).toBe(true);
  });
});

describe('culling wild game', () => {
  it.each([
    'Я сам охотник, 20 лет с ружьём. Но кабаны в Пахаре уже обнаглели: огороды перерыты, картошку всю пожрали. Отстреливать их надо по регулированию численности. Кто у нас даёт такое разрешение?',
    'Волки зимой задрали двух овец в Дубровке, волков надо отстреливать, кто выдаёт лицензию охотникам?',
    'Лисы таскают кур по всему посёлку, лис надо отстреливать, куда обращаться за разрешением на охоту?',
  ])('is no call to violence: «%s»', (text) => {
    expect(call(text)).toBe(false);
  });

  it.each([
    'Этих чиновников отстреливать надо, как кабанов',
    'Я охотник, и скажу: депутатов отстреливать надо',
  ])('a person as the object stays a call: «%s»', (text) => {
    expect(call(text)).toBe(true);
  });
});

describe('poisoning town birds', () => {
  it.each(['Голубей на балконе соседки перетравлю, весь дом загадили'])('stays an intent to harm: «%s»', (text) => {
    expect(new Classifier().classify(text).reasons.map((r) => r.reason)).toContain('harm-intent');
  });
});
