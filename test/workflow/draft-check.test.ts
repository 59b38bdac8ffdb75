import { describe, expect, it } from '@jest/globals';
import { checkDraft, findingLine, paragraphs, type DraftKind, type FindingCode } from '../../workflow/draft-check.js';

const codes = (text: string, kind: DraftKind = 'answer', repeat?: { earlierAnswer: string | null }): FindingCode[] =>
  checkDraft({ text, kind, ...(repeat ? { repeat } : {}) }).map((f) => f.code);

describe('a good draft passes clean', () => {
  it.each([
    ['a public answer with a greeting line, the measure and a date',
      'Здравствуйте, Ирина!\nЯму на ул. Ленина у дома 15 засыплют щебнем до 5 декабря, ямочный ремонт асфальтом подрядчик выполнит в мае 2026 года, когда позволит погода.'],
    ['a report of work done',
      'Добрый день! Сообщаем, что 28.11.2025 специалисты МУП «Водоканал» заменили участок трубы на ул. Садовой, водоснабжение восстановлено.'],
    ['a reasoned refusal with no promise',
      'Здравствуйте. Участок у гаражей на ул. Мира не является муниципальной собственностью, поэтому администрация не может провести там благоустройство. Собственник участка — ООО «Агросервис», его контакты есть на сайте администрации в разделе «Организации».'],
    ['two paragraphs and a signature', 'Уважаемый Павел!\nОстановку на ул. Лесной перенесли на 50 м к перекрёстку 20 ноября.\n\nНовое расписание автобуса № 3 размещено на сайте перевозчика.\nС уважением, администрация'],
    ['a list inside the second paragraph',
      'Здравствуйте! График вывоза ТКО в декабре по ул. Заречной изменён.\nВывоз будет проходить:\n- по вторникам;\n- по пятницам, начиная с 5 декабря.'],
    ['a VK mention is not a placeholder', '[id12345|Анна], светофор на перекрёстке Ленина и Гагарина починили сегодня утром, он работает в обычном режиме.'],
  ])('%s', (_name, text) => {
    expect(checkDraft({ text, kind: 'answer' })).toEqual([]);
  });

  it('a clarification request with a question', () => {
    expect(codes('Здравствуйте! Уточните, пожалуйста, номер дома и подъезд, где не горит освещение?', 'clarification')).toEqual([]);
  });

  it('an interim answer with the date of the final one', () => {
    expect(codes('Здравствуйте! Обращение передано в МУП «Теплосеть», специалисты проверят давление в системе отопления дома 7 по ул. Кирова; о результатах сообщим до 10 декабря.', 'interim')).toEqual([]);
  });
});

describe('reasons to return a draft (001 [12], [14]; 003 [8])', () => {
  it('empty, or only punctuation', () => {
    expect(codes('')).toEqual(['empty']);
    expect(codes('  \n ... ')).toEqual(['empty']);
    expect(checkDraft({ text: '', kind: 'answer' })[0]).toMatchObject({ clause: '001 [12]; 003 [8]' });
  });

  it('more than two paragraphs, counted without the greeting line', () => {
    const text = 'Здравствуйте!\nВ доме 12 по ул. Победы проведено обследование кровли 25.11.2025.\n\nПодрядчик определён, договор заключён.\n\nРемонт кровли выполнят до 20 декабря.';
    expect(paragraphs(text)).toHaveLength(3);
    const [f] = checkDraft({ text, kind: 'answer' });
    expect(f).toMatchObject({ code: 'too-long', clause: '001 [12]', text: 'В ответе 3 абзаца(ев), допускается не более 2: сократите до сути вопроса.' });
  });

  it.each([
    ['Ваше обращение принято.'],
    ['Информация принята к сведению.'],
    ['Здравствуйте! Спасибо за обращение. Ваше сообщение передано в профильный отдел.'],
    ['Добрый день. Вопрос находится на контроле администрации. С уважением, администрация города'],
    ['Благодарим за информацию! Разберёмся.'],
  ])('a formal reply with no substance: %s', (text) => {
    expect(codes(text)).toEqual(['formal-only']);
  });

  it.each([
    ['a formal sentence, then substance', 'Спасибо за обращение. Контейнерную площадку на ул. Гоголя вычистили 1 декабря, вывоз мусора теперь ежедневный.'],
    ['a formal opening of the same sentence', 'Ваше обращение рассмотрено, яму у дома 3 по ул. Строителей засыпали щебнем 2 декабря.'],
    ['thanks with the matter in it', 'Спасибо, что сообщили: сломанную горку на детской площадке в сквере Победы демонтировали сегодня утром, новую установят весной.'],
  ])('substance after formal words is not formal: %s', (_name, text) => {
    expect(codes(text)).toEqual([]);
  });

  it.each([
    ['Здравствуйте! Яма на ул. Ленина будет отремонтирована.', ['будет отремонтирована']],
    ['Добрый день, освещение во дворе дома 4 восстановим в ближайшее время.', ['в ближайшее время', 'восстановим']],
    ['Замена лавочек в сквере запланирована по мере финансирования.', ['по мере финансирования', 'запланирована']],
  ])('a promise without a date: %s', (text, evidence) => {
    const found = checkDraft({ text, kind: 'answer' });
    expect(found.map((f) => f.code)).toEqual(['no-date']);
    expect(found[0]?.evidence).toEqual(expect.arrayContaining(evidence));
  });

  it.each([
    ['до 15 декабря', 'Яма будет отремонтирована до 15 декабря.'],
    ['a numeric date', 'Яма будет отремонтирована 15.12.2025.'],
    ['a month', 'Ремонт моста запланирован в апреле 2026 года.'],
    ['end of the month', 'Подрядчик установит ограждение до конца месяца.'],
    ['a quarter', 'Ремонт дороги будет проведён во втором квартале 2026 года.'],
    ['a weekday', 'Освещение восстановим в пятницу.'],
    ['within N days', 'Мусор будет вывезен в течение 3 рабочих дней.'],
  ])('a promise with a date (%s) passes', (_name, text) => {
    expect(codes(text)).toEqual([]);
  });

  it('an interim answer always needs the date of the final one (001 [15])', () => {
    const [f] = checkDraft({ text: 'Здравствуйте! Ваш вопрос изучается специалистами отдела ЖКХ, о результатах сообщим дополнительно.', kind: 'interim' });
    expect(f).toMatchObject({ code: 'no-date', clause: '001 [15]; 000 [15]' });
  });

  it('a disrespectful tone found by the classifiers\' rules', () => {
    const [f] = checkDraft({ text: 'Только дебил может так парковаться, эвакуатор приедет 3 декабря.', kind: 'answer' });
    expect(f).toMatchObject({ code: 'disrespectful', clause: '001 [14]', evidence: ['дебил'] });
    expect(f?.text).toBe('Ответ изложен в неуважительной форме (оскорбительные выражения): перепишите в вежливом тоне.');
  });

  it('obscene words, even masked, are disrespectful', () => {
    expect(codes('Да х*р с ней, с этой ямой, заделаем 5 декабря.')).toContain('disrespectful');
  });

  it('an official\'s dismissive phrases are disrespectful', () => {
    const [f] = checkDraft({ text: 'Вам уже отвечали, читайте внимательнее: вывоз мусора по графику, 2 раза в неделю.', kind: 'answer' });
    expect(f).toMatchObject({ code: 'disrespectful', evidence: ['Вам уже отвечали', 'читайте внимательнее'] });
    expect(f?.text).toBe('Ответ изложен в неуважительной форме: перепишите в вежливом тоне.');
  });

  it.each([
    ['[дата]', 'Ремонт подъезда начнётся [дата], подрядчик — ООО «Ремстрой».'],
    ['XX.XX', 'Отключение воды продлится до XX.XX, работы ведутся.'],
    ['ХХ.ХХ.2025', 'Отключение воды продлится до ХХ.ХХ.2025, работы ведутся.'],
    ['___', 'Ответственный специалист ___, телефон 2-14-15, работы ведутся.'],
    ['{адрес}', 'По адресу {адрес} проведено обследование 1 декабря.'],
    ['ФИО', 'Обратитесь к специалисту ФИО по телефону 2-14-15, он ведёт приём сегодня.'],
  ])('an unresolved placeholder %s', (blank, text) => {
    const found = checkDraft({ text, kind: 'answer' });
    expect(found.map((f) => f.code)).toEqual(['placeholder']);
    expect(found[0]?.evidence).toEqual([blank]);
  });

  it('a clarification request without a question', () => {
    expect(codes('Нам нужен точный адрес дома.', 'clarification')).toEqual(['no-question']);
  });

  it('a finding is stored as one line with its code and clause', () => {
    const [f] = checkDraft({ text: 'Информация принята к сведению.', kind: 'answer' });
    expect(findingLine(f!)).toMatch(/^formal-only: Ответ формальный: .* \(001 \[12\]; 003 \[8\]\)$/);
  });

  it('several findings together, in a fixed order', () => {
    expect(codes('Информация принята к сведению.\nОтвет дадим [дата].\n\nСами виноваты.\n\nВсё.')).toEqual(['too-long', 'disrespectful', 'placeholder']);
  });
});

describe('an answer to a repeated message reports progress (001 [19], 003 [11])', () => {
  const earlier = 'Здравствуйте! Ремонт освещения на ул. Школьной будет выполнен до 20 декабря.';

  it('the same promise again reports nothing', () => {
    expect(codes('Здравствуйте! Ремонт освещения на ул. Школьной будет выполнен до 20 декабря!', 'answer', { earlierAnswer: earlier })).toEqual(['no-progress']);
  });

  it('a new promise with no measure taken reports nothing either', () => {
    const [f] = checkDraft({ text: 'Ремонт освещения на ул. Школьной будет проведён до 25 декабря.', kind: 'answer', repeat: { earlierAnswer: null } });
    expect(f).toMatchObject({ code: 'no-progress', clause: '001 [19]; 003 [11]', text: 'Ответ на повторное сообщение не сообщает о принятых мерах или о ходе решения вопроса.' });
  });

  it.each([
    'Здравствуйте! Подрядчик выходил на место 2 декабря, заменены два светильника, остальные заменят до 20 декабря.',
    'На сегодняшний день договор с подрядчиком заключён, работы начнутся 10 декабря.',
    'Работы ведутся: опоры освещения установлены, подключение выполнят до 20 декабря.',
  ])('progress reported: %s', (text) => {
    expect(codes(text, 'answer', { earlierAnswer: earlier })).toEqual([]);
  });

  it('a repeat is not checked for progress when no repeat is given', () => {
    expect(codes('Ремонт освещения на ул. Школьной будет проведён до 25 декабря.')).toEqual([]);
  });
});
