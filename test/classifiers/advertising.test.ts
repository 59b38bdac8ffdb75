import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { detectAdvertising } from '../../classifiers/advertising.js';
import { Classifier } from '../../classifiers/verdict.js';

const ad = (text: string, sameTextCount = 0): boolean => detectAdvertising(normalize(text), { sameTextCount }) !== null;

describe('advertising and spam', () => {
  it.each([
    'Продам дрова, доставка по району, 89123456789', 'Заработок от 5000 в день без вложений, пиши в лс',
    'Натяжные потолки недорого, звоните +7 900 111-22-33', 'Скидки до 50% в нашем магазине! shop.ru',
    'Микрозаймы онлайн без отказа zaim.online', 'Требуются курьеры, оплата от 3000 руб в день',
    'Займы под залог ПТС, одобрение за час', 'Курсы маникюра со скидкой, записывайтесь в директ',
    'Хотите зарабатывать от 50 000 в месяц? Пишите мне в личку',
  ])('finds «%s»', (text) => {
    expect(ad(text)).toBe(true);
  });

  it.each([
    'Звоните в диспетчерскую 89123456789, никто не берёт трубку', 'Цена проезда 45 рублей, это дорого для пенсионеров',
    'Акция по уборке парка в субботу, приходите', 'Куплю билет на автобус, а он не приходит',
    'Почему в магазине на Мира скидки только для своих? Продавец хамит', 'На сайте admin.ru не работает форма', 'Люди в селе не могут зарабатывать, работы нет никакой',
  ])('does not flag «%s»', (text) => {
    expect(ad(text)).toBe(false);
  });

  it.each(['Пр0дам уголь, д0ставка, 8-950-111-22-33', 'ЗАРАБОТОК 💰 от 100к в месяц, жми bit.ly/x1'])('sees through «%s»', (text) => {
    expect(ad(text)).toBe(true);
  });

  it('treats a text with a link posted again and again as spam', () => {
    expect(ad('Смотрите что творится vk.cc/abc')).toBe(false);
    expect(ad('Смотрите что творится vk.cc/abc', 5)).toBe(true);
  });

  describe('lost-and-found notices', () => {
    const classifier = new Classifier();

    it.each([
      'Потерялся кобель, рыжий, ошейник синий, район Старого города. Нашедшим звоните 8 912 604 33 18, отблагодарю',
      'У четвёртого подъезда нашли ключи с брелоком-котиком, пишите в личку, опишите и заберёте',
      'Пропала кошка, серая, пушистая, на Садовой. Звоните +7 950 222-33-44',
      'Найден паспорт на имя Петрова у остановки, пишите в лс',
    ])('lets the phone and the invitation of «%s» reach the owner', (text) => {
      expect(ad(text)).toBe(false);
      expect(classifier.classify(text).rejected).toBe(false);
    });

    it.each([
      'Нашли способ заработать? Заработок от 5000 в день без вложений, пиши в лс',
      'Потерял ключи? Вскрытие замков недорого, звоните 89123456789',
      'Нашли щенка? Продам щенков недорого, звоните 89123456789',
    ])('still finds the advertising in «%s»', (text) => {
      expect(ad(text)).toBe(true);
    });
  });
  describe('a thing lent between neighbours', () => {
    const classifier = new Classifier();

    it.each([
      'Ребята, у кого есть длинная стремянка? Надо лампочку в подъезде вкрутить, управляйка год не идет. Пишите в лс, верну в тот же день',
      'Соседи, одолжите дрель на час, пишите в личку, верну сразу',
      'Могу дать на время перфоратор, пишите в лс',
    ])('lets «%s» ask or offer without being advertising', (text) => {
      expect(ad(text)).toBe(false);
      expect(classifier.classify(text).rejected).toBe(false);
    });

    it.each([
      'Дам на время перфоратор, 500 р в сутки, пишите в лс',
      'Продам стремянку, почти новая, недорого, пишите в лс',
      'Сдаю комнату недорого, у моря, пишите в лс',
    ])('still finds the rental or the sale in «%s»', (text) => {
      expect(ad(text)).toBe(true);
    });
  });

  describe('a complaint that quotes the notices it objects to', () => {
    const classifier = new Classifier();

    it.each([
      'Объявления «СДАЮ КОМНАТУ НЕДОРОГО» клеят прямо на столбах и на остановках, весь город в бумажках. Можно штрафовать?',
      'Опять на подъезде наклеили "Куплю дорого ваш автомобиль, звоните 89001112233", сколько можно',
    ])('does not reject «%s»', (text) => {
      expect(ad(text)).toBe(false);
      expect(classifier.classify(text).rejected).toBe(false);
    });

    it('still rejects the notice itself', () => {
      expect(ad('СДАЮ КОМНАТУ НЕДОРОГО, у моря, звоните 89181234567')).toBe(true);
    });
  });
});
