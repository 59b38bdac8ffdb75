// `otklik classify` and `otklik classifier retrain` as an admin runs them: the real
// launcher, JSON lines on stdin/stdout, and the real embedded store (a fresh database).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../store/port.js';
import { runOtklik } from '../support/cli.js';
import { dropTestStore, openTestStore } from '../support/store.js';

let store: Store;

function otklik(args: string[], input = '') {
  return runOtklik(store.dbName, args, input);
}

const lines = (text: string): Record<string, unknown>[] => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => { store = await openTestStore('cli_classify'); });
afterAll(async () => { await dropTestStore(store); });

describe('otklik classify', () => {
  it('classifies 10,000 lines in one run, one verdict per line, in order', async () => {
    const texts = ['Третий день нет воды на Садовой', 'Дорога — пиздец', 'Продам дрова недорого, доставка, 89123456789', 'Спасибо за новую площадку!'];
    const input = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ text: `${texts[i % 4]} №${i}` })).join('\n') + '\n';
    const run = await otklik(['classify', '--offline'], input);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out).toHaveLength(10_000);
    out.forEach((v, i) => {
      expect(v.reasonCode).toBe([null, 'obscene', 'advertising', null][i % 4]);
    });
    expect(out[0]).toMatchObject({ rejected: false, topic: { value: 'ЖКХ' }, importance: { value: 'high', reason: 'Нет водоснабжения' } });
    expect(out[1]).toMatchObject({ rejected: true, reason: 'Нецензурные выражения', evidence: ['пиздец'] });
  }, 120_000);

  it('names the line and the field of a bad line and goes on', async () => {
    const run = await otklik(['classify', '--offline'], '{"txt":"x"}\nnot json\n{"text":"Когда починят фонарь?","tenant":"x"}\n42\n{"text":""}\n{"text":"Когда починят фонарь?"}\n');
    const out = lines(run.stdout);
    expect(out.slice(0, 5)).toEqual([
      { error: 'line 1: text: must be a string' },
      { error: 'line 2: not a JSON object' },
      { error: 'line 3: tenant: needs the store; run without --offline' },
      { error: 'line 4: not a JSON object' },
      { error: 'line 5: text: must not be empty' },
    ]);
    expect(out[5]).toMatchObject({ rejected: false });
  }, 60_000);
});

describe('otklik classifier retrain', () => {
  it('retrains a tenant from its corrections, and classify uses the new version', async () => {
    const gas = ['Когда проведут газ на нашу улицу?', 'Газификация посёлка: сроки подключения?', 'Газопровод до улицы не дотянули',
      'Включите деревню в программу газификации', 'Подключение дома к газу по догазификации', 'Газовики не подключают дом'];
    for (const [i, text] of gas.entries()) {
      await store.classifier.recordCorrection('klyuchi', { text, kind: 'topic', value: 'газификация', by: 'curator-1', at: new Date(Date.UTC(2026, 0, 1, 0, i)) });
    }
    const retrain = await otklik(['classifier', 'retrain', '--tenant', 'klyuchi']);
    expect(retrain.stderr).toBe('');
    const [summary] = lines(retrain.stdout);
    expect(summary).toMatchObject({ tenant: 'klyuchi', accepted: true, corrections: 6 });

    const run = await otklik(['classify'], JSON.stringify({ text: 'Когда к нам проведут газ? Газопровод рядом', tenant: 'klyuchi' }) + '\n');
    expect(lines(run.stdout)[0]).toMatchObject({ topic: { value: 'газификация' }, modelVersion: summary!.version });
  }, 120_000);

  it('asks for a tenant', async () => {
    const run = await otklik(['classifier', 'retrain']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--tenant');
  }, 60_000);
});
