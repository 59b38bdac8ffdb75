import { describe, expect, it } from '@jest/globals';
import { ABUSE_WEIGHTS } from '../../classifiers/data/abuse-weights.js';
import { buildShippedAbuseModel, shippedAbuseDataHash } from '../../bench/abuse-data.js';

// The committed weights must be what `npm run train:abuse` makes of the committed labelled
// texts: a changed set, corpus or training step without a retrain fails here.
describe('the shipped abuse model weights', () => {
  it('were trained on the labelled texts in this checkout (data hash)', () => {
    expect(ABUSE_WEIGHTS.dataHash).toBe(shippedAbuseDataHash());
    expect(ABUSE_WEIGHTS.version).toBe(`abuse-${shippedAbuseDataHash()}`);
  });

  it('are exactly what the training command produces from them', () => {
    const fresh = buildShippedAbuseModel();
    expect(fresh.thresholds).toEqual(ABUSE_WEIGHTS.thresholds);
    expect(fresh.bias).toEqual(ABUSE_WEIGHTS.bias);
    expect(fresh.step).toBe(ABUSE_WEIGHTS.step);
    // Compared whole, not printed: the packed tables are about a megabyte.
    expect(fresh.rows === ABUSE_WEIGHTS.rows).toBe(true);
    expect(fresh.values === ABUSE_WEIGHTS.values).toBe(true);
  }, 900_000);

  it('stay under 2 MB in the repository', () => {
    expect(ABUSE_WEIGHTS.rows.length + ABUSE_WEIGHTS.values.length).toBeLessThan(2_000_000);
  });
});
