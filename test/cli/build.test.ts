import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from '@jest/globals';

// `npm start` runs what this builds (pm2 starts dist/workers/launch.js): a build that fails
// leaves a newcomer's first command broken.
describe('npm run build', () => {
  it('compiles the workers to dist/ with the data files they read at run time', () => {
    const result = spawnSync(process.execPath, ['bin/build.mjs'], { encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    expect(fs.existsSync('dist/workers/launch.js')).toBe(true);
    expect(fs.existsSync('dist/classifiers/data/abuse-weights.js')).toBe(true);
    // The model's training texts are not needed to run and are not copied.
    expect(fs.existsSync('dist/classifiers/data/corpus')).toBe(false);
  }, 300_000);
});
