import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Classifier, toStoredVerdict } from '../../classifiers/verdict.js';
import { REASON_CODES, REASON_LABELS } from '../../classifiers/types.js';

const classifier = new Classifier();
// Text as people type it, plus the characters evasion uses.
const char = fc.oneof(
  fc.constantFrom(...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВХУЙПЕЗДЁ'.split('')),
  fc.constantFrom(...'xyaeopc0369@$*._-|/ \n\t!?«»"'.split(''), '\u200b', '\u0336', '😀', '+7 912 345 67 89', 'https://t.me/x'),
  fc.string({ maxLength: 1 }),
);
const text = fc.array(char, { maxLength: 120 }).map((a) => a.join(''));

describe('the verdict on any text', () => {
  it('is a consistent, JSON-serializable verdict and never throws', () => {
    fc.assert(fc.property(text, (t) => {
      const v = classifier.classify(t);
      const stored = toStoredVerdict(v);
      expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
      expect(v.rejected).toBe(v.reason !== null);
      expect(v.rejected).toBe(v.reasons.length > 0);
      if (v.rejected) expect(v.evidence.length).toBeGreaterThan(0);
      expect(v.topic.confidence).toBeGreaterThanOrEqual(0);
      expect(v.topic.confidence).toBeLessThanOrEqual(1);
    }), { numRuns: 500 });
  });

  it('gives the curator Russian labels for every reason', () => {
    for (const code of REASON_CODES) expect(REASON_LABELS[code]).toMatch(/^[А-ЯЁ][а-яё ,]+$/);
  });
});
