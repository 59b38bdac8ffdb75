import { describe, expect, it } from '@jest/globals';
import { findAddress, findAddresses } from '../../classifiers/address.js';
import { Classifier } from '../../classifiers/verdict.js';

describe('street, house and settlement from the text, without a gazetteer', () => {
  it.each([
    ['Добрый день, в доме по ул. Гагарина, 14 с утра нет воды', 'улица Гагарина', '14'],
    ['пр-т Мира, д. 23, корп. 2, кв. 15 — нет отопления', 'проспект Мира', '23к2'],
    ['ул.Некрасова,д.3,кв.5 течёт крыша', 'улица Некрасова', '3'],
    ['Красноармейская ул., 15 — третий день без света', 'улица Красноармейская', '15'],
    ['Весенняя улица, дом 3 — мусор у контейнеров', 'улица Весенняя', '3'],
    ['в доме 14 по улице Чапаева течёт кровля', 'улица Чапаева', '14'],
    ['дом № 8 по Заводской улице — подвал в воде', 'улица Заводская', '8'],
    ['яма на Ленина, 14 уже месяц', 'улица Ленина', '14'],
    ['на Луговой 30 пробили колесо', 'улица Луговая', '30'],
    ['Кирова,12 - воняет канализацией', 'улица Кирова', '12'],
    ['садовая16 нет света вторые сутки', 'улица Садовая', '16'],
    ['у дома Театральная 10 машины на тротуаре', 'улица Театральная', '10'],
    ['Пушкина-д.11 не работает домофон', 'улица Пушкина', '11'],
    ['ул. 8 Марта, 10 - батареи холодные', 'улица 8 Марта', '10'],
    ['проспект Строителей, 21Б — в лифте грязно', 'проспект Строителей', '21б'],
    ['ул. Комарова 2/1 - засор канализации', 'улица Комарова', '2/1'],
    ['мкр. Южный, 12 — мусор не вывозят', 'микрорайон Южный', '12'],
    ['ул. Центральной в районе дома №48 разрушено покрытие', 'улица Центральная', '48'],
  ])('«%s» → %s, %s', (text, street, house) => {
    expect(findAddress(text)).toMatchObject({ street, house });
  });

  it('takes the settlement before the street, never for the street', () => {
    expect(findAddress('г. Зареченск, ул. Ленина, д. 5 — заявка не выполнена')).toMatchObject({ street: 'улица Ленина', house: '5', settlement: 'Зареченск' });
    expect(findAddress('с. Ключи, ул. Полевая, 17')).toMatchObject({ street: 'улица Полевая', settlement: 'Ключи' });
    expect(findAddresses('Зареченск ул Ленина нет света').map((a) => a.street)).toEqual(['улица Ленина']);
    expect(findAddress('д. Малиновка, ул. Мира 5')).toMatchObject({ street: 'улица Мира', house: '5', settlement: 'Малиновка' });
  });

  it('prefers the address with a house number', () => {
    expect(findAddress('На улице Мира не горят фонари, а у дома Ленина 5 нет урн')).toMatchObject({ street: 'улица Ленина', house: '5' });
  });

  it.each([
    'маршрут 12 не ходит с утра', 'в 2015 году обещали отремонтировать', 'на 5 этаже течёт', 'автобус опоздал на 10 минут',
    'Сидорова Валентина Ивановна, 1938 г.р., инвалид 2 группы', 'в квартире 12 градусов', 'Школа 2 закрыта на карантин', 'недорого, 8 912 000 11 22',
    'Родители учеников 5 «Б» класса просят учителя',
  ])('reads no house where there is none: «%s»', (text) => {
    expect(findAddress(text)?.house).toBeUndefined();
  });
});

describe('the gazetteer normalises what the text names', () => {
  const classifier = new Classifier({
    gazetteer: [
      { name: 'Луговая улица', kind: 'street', settlement: 'Ключи' },
      { name: 'Ключи', kind: 'settlement' },
    ],
  });

  it('gives a known street its gazetteer name and settlement, with the house from the text', () => {
    expect(classifier.classify('на Луговой 30 пробили колесо в яме').location).toMatchObject({ value: 'Луговая улица', kind: 'street', house: '30', settlement: 'Ключи', source: 'gazetteer' });
  });

  it('keeps a street it does not know, as read from the text, with the settlement it knows', () => {
    expect(classifier.classify('В Ключах на улице Садовой, 5 нет воды').location).toMatchObject({ value: 'улица Садовая', kind: 'street', house: '5', settlement: 'Ключи', source: 'text' });
  });
});
