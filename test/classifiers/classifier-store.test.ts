// Curator corrections and model versions on the real embedded store (a fresh database).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dbOf, type Store } from '../../store/connection.js';
import { loadActiveModel, loadCorrections, loadGazetteer, loadTenantClassifier, loadTenantDictionaries, recordCorrection, retrainTenant } from '../../store/classifier.js';
import { keywordListModel } from '../../store/models/keyword-list.js';
import { classifierModelModel } from '../../store/models/classifier-model.js';
import { gazetteerEntryModel } from '../../store/models/gazetteer-entry.js';
import { tenantModel } from '../../store/models/tenant.js';
import { Classifier } from '../../classifiers/verdict.js';
import { dropTestStore, openTestStore } from '../support/store.js';

let store: Store;
beforeAll(async () => { store = await openTestStore('classifier'); });

// A retrain fits the topic model on every shipped example and labelled line (about 15 s alone);
// on a loaded 2-core machine two of them can pass the suite's 60 s default without anything wrong.
const RETRAIN_TIMEOUT_MS = 300_000;
afterAll(async () => { await dropTestStore(store); });

const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 24, 10, minute));
const GAS = [
  'Когда проведут газ на улицу Заречную? Ждём десять лет', 'Газификация посёлка Лесной: есть ли сроки подключения домов?',
  'Газопровод до нашей улицы так и не дотянули', 'Просим включить деревню в программу газификации',
  'Сколько стоит подключение частного дома к газу по догазификации?', 'Газовики не подключают дом, хотя труба уже у забора',
  'Обещали газ в село к осени, работы не начаты', 'Кто оплачивает газопровод по участку при догазификации?',
  'Газораспределительная организация затягивает подключение', 'Нашу улицу исключили из плана газификации, почему?',
];

describe('classifier corrections and model versions in the store', () => {
  it('keeps each correction with who and when', async () => {
    await recordCorrection(dbOf(store), 'ochinsky', { text: 'Нет газа', kind: 'topic', value: 'ЖКХ', previous: 'другое', by: 'curator-7', at: at(0), incident: '12' });
    const list = await loadCorrections(dbOf(store), 'ochinsky');
    expect(list).toEqual([{ text: 'Нет газа', kind: 'topic', value: 'ЖКХ', previous: 'другое', evidence: [], by: 'curator-7', at: at(0) }]);
    expect(await loadCorrections(dbOf(store), 'krymsk')).toEqual([]);
  });

  it('retrains from stored corrections, stores the version, and later verdicts use it', async () => {
    for (const [i, text] of GAS.entries()) await recordCorrection(dbOf(store), 'klyuchi', { text, kind: 'topic', value: 'газификация', by: 'curator-1', at: at(i) });
    expect(await loadActiveModel(dbOf(store), 'klyuchi')).toBeNull();

    await recordCorrection(dbOf(store), 'klyuchi', { text: 'Паром не ходит второй день, село отрезано', kind: 'importance', value: 'high', by: 'curator-1', at: at(20) });
    const result = await retrainTenant(dbOf(store), 'klyuchi', at(30));
    expect(result.accepted).toBe(true);
    const active = await loadActiveModel(dbOf(store), 'klyuchi');
    expect(active?.version).toBe(result.model.version);
    expect(active?.curatorImportance).toEqual([{ text: 'Паром не ходит второй день, село отрезано', value: 'high' }]);
    const v = Classifier.fromModel(active!).classify('Когда к нам в деревню проведут газ? Газопровод есть в соседнем селе');
    expect(v.topic.value).toBe('газификация');
    expect(v.modelVersion).toBe(result.model.version);

    // The same corrections give the same version, stored once.
    await retrainTenant(dbOf(store), 'klyuchi', at(40));
    expect(await classifierModelModel(dbOf(store).connection).countDocuments({ tenant: 'klyuchi' })).toBe(1);
  }, RETRAIN_TIMEOUT_MS);

  it('keeps near copies of an unrejected text unrejected at once, before any retrain', async () => {
    const text = 'скоро эти бюрократы попляшут у меня, по одному выловлю';
    expect((await loadTenantClassifier(dbOf(store), 'tymovsk')).classify(text).rejected).toBe(true);
    await recordCorrection(dbOf(store), 'tymovsk', { text, kind: 'unreject', value: null, previous: 'threat', evidence: ['попляшут'], by: 'curator-4', at: at(1) });
    const classifier = await loadTenantClassifier(dbOf(store), 'tymovsk');
    expect(classifier.classify(text).rejected).toBe(false);
    expect(classifier.classify('скоро эти бюрократы попляшут у меня, по одному их выловлю!').rejected).toBe(false);
  });

  it('retrains on the tenant’s own topic list', async () => {
    await tenantModel(dbOf(store).connection).create({ name: 'okha', title: 'ГО «Охинский»', timeZone: 'Asia/Sakhalin', regulationProfile: { id: 'okha' }, topics: ['ЖКХ', 'газификация'] });
    for (const [i, text] of GAS.entries()) await recordCorrection(dbOf(store), 'okha', { text, kind: 'topic', value: 'газификация', by: 'curator-3', at: at(i) });
    const result = await retrainTenant(dbOf(store), 'okha', at(30));
    expect((await loadActiveModel(dbOf(store), 'okha'))?.topicModel.topics).toEqual(['ЖКХ', 'газификация']);
    expect(result.accepted).toBe(true);
  }, RETRAIN_TIMEOUT_MS);

  it('extends the shipped dictionaries with the tenant keyword lists', async () => {
    const lists = keywordListModel(dbOf(store).connection);
    await lists.create({ tenant: 'okha', name: 'not-obscene', keywords: ['Ебеньки'] });
    await lists.create({ tenant: 'okha', name: 'urgent', keywords: ['паром не ходит', 'зимник закрыт'] });
    await lists.create({ tenant: 'okha', name: 'off-competence', keywords: ['нефтяная компания'] });
    await lists.create({ tenant: 'okha', name: 'administration', keywords: ['администрация'] });
    const own = await loadTenantDictionaries(dbOf(store), 'okha');
    const c = new Classifier(own);
    expect(new Classifier().classify('В деревне Ебеньки нет света').rejected).toBe(true);
    expect(c.classify('В деревне Ебеньки нет света').rejected).toBe(false);
    expect(c.classify('Третий день паром не ходит, село отрезано').importance).toMatchObject({ value: 'high', reason: expect.stringContaining('Срочный вопрос по списку администрации') });
    expect(c.classify('Нефтяная компания разлила мазут у берега').competence).toMatchObject({ label: 'вне компетенции', area: 'по списку администрации' });
    expect(c.classify('Пиздец, паром не ходит').rejected).toBe(true);
  });

  it('reads the tenant gazetteer for the location rule', async () => {
    await gazetteerEntryModel(dbOf(store).connection).create({ tenant: 'klyuchi', kind: 'settlement', name: 'Ключи', aliases: ['с. Ключи'] });
    const gazetteer = await loadGazetteer(dbOf(store), 'klyuchi');
    expect(gazetteer).toEqual([{ name: 'Ключи', kind: 'settlement', aliases: ['с. Ключи'] }]);
    expect(new Classifier({ gazetteer }).classify('В Ключах третий день нет света').location?.value).toBe('Ключи');
  });
});
