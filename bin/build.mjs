// `npm run build`: compiles the sources to dist/ (what pm2 runs) and copies what is not
// TypeScript beside them. Incremental: a second build after a small change takes seconds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('The build failed: the errors above name the file and line.');
  process.exit(result.status ?? 1);
}
// Plain JavaScript entry points and data files the compiled code reads at run time.
const copies = ['workers/launch.js'];
for (const dir of ['classifiers/data', 'classifiers/lexicon', 'web/assets']) {
  const from = path.join(root, dir);
  if (!fs.existsSync(from)) continue;
  // Files only: a folder beside them (classifiers/data/corpus, the model's training texts) is not read at run time.
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) if (entry.isFile() && !entry.name.endsWith('.ts')) copies.push(path.join(dir, entry.name));
}
for (const file of copies) {
  fs.mkdirSync(path.dirname(path.join(root, 'dist', file)), { recursive: true });
  fs.copyFileSync(path.join(root, file), path.join(root, 'dist', file));
}
console.log(`Built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
