/**
 * False-positive scan over a whole Russian dictionary: every word form of the Hunspell
 * Russian dictionary goes through the obscene and insult rules alone, and the words they
 * flag are printed. Nearly all Russian is innocent, so every flagged form is either real
 * мат/abuse or a trap the rules must learn. Needs the Debian packages hunspell-ru (the
 * dictionary) and hunspell-tools (unmunch, to expand it into word forms); without
 * unmunch only the dictionary's base forms are scanned.
 *
 *   apt-get install hunspell-ru hunspell-tools
 *   node --import tsx bench/dictionary-scan.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { normalize } from '../classifiers/normalize.js';
import { detectObscene } from '../classifiers/obscene.js';
import { detectInsult } from '../classifiers/insult.js';

const DIC = '/usr/share/hunspell/ru_RU.dic';
const AFF = '/usr/share/hunspell/ru_RU.aff';
if (!fs.existsSync(DIC)) {
  console.log(`${DIC} not found: apt-get install hunspell-ru hunspell-tools`);
  process.exit(0);
}

let forms: string[];
try {
  forms = execFileSync('unmunch', [DIC, AFF], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').split('\n');
} catch {
  console.log('unmunch not available: scanning base forms only');
  forms = fs.readFileSync(DIC, 'utf8').split('\n').slice(1).map((l) => l.split('/')[0] ?? '');
}
const words = [...new Set(forms.map((w) => w.trim().toLowerCase()).filter((w) => /^[а-яё-]+$/.test(w)))];
const obscene: string[] = [];
const insult: string[] = [];
const started = Date.now();
for (const w of words) {
  const n = normalize(w);
  if (detectObscene(n)) obscene.push(w);
  if (detectInsult(n)) insult.push(w);
}
console.log(`${words.length} word forms scanned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`flagged obscene: ${obscene.length}\n  ${obscene.join(' ')}`);
console.log(`flagged insult (a word alone, without a target): ${insult.length}; first stems:`);
console.log(`  ${[...new Set(insult.map((w) => w.slice(0, 6)))].join(' ')}`);
