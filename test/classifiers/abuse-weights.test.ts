import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ABUSE_WEIGHTS } from '../../classifiers/data/abuse-weights.js';
import { shippedAbuseDataHash } from '../../bench/abuse-data.js';
import { topicTrainingSource } from '../../bench/topic-data.js';
import { DEFAULT_TOPICS } from '../../classifiers/data/topic-training.js';
import fs from 'node:fs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The committed weights must be what `npm run train:abuse` makes of the committed labelled
// texts: a changed set, corpus or training step without a retrain fails here.
describe('the shipped abuse model weights', () => {
  it('were trained on the labelled texts in this checkout (data hash)', () => {
    expect(ABUSE_WEIGHTS.dataHash).toBe(shippedAbuseDataHash());
    expect(ABUSE_WEIGHTS.version).toBe(`abuse-${shippedAbuseDataHash()}`);
  });

  it('are exactly what the training command produces from them', async () => {
    // The command itself, in its own process: it trains at full speed there, outside jest's module sandbox.
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'bin/train-abuse-model.ts', '--check'], { cwd: root, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr });
      });
    });
    expect(result.output).toContain('the committed weights are what the data gives');
    expect(result.code).toBe(0);
  }, 900_000);

  it('come with the labelled lines the topic model learns from, as the sets have them', () => {
    // A set or corpus changed without `npm run train:abuse` would leave the topic model on old lines.
    const committed = fs.readFileSync(path.join(root, 'classifiers', 'data', 'topic-training-labelled.ts'), 'utf8');
    expect(committed === topicTrainingSource(DEFAULT_TOPICS)).toBe(true);
  });

  it('stay under 2 MB in the repository', () => {
    expect(ABUSE_WEIGHTS.rows.length + ABUSE_WEIGHTS.values.length).toBeLessThan(2_000_000);
  });
});
