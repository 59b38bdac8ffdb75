/**
 * Repeat index with 100,000 stored incidents: build time, query time, and how many
 * stored texts a query compares against (the LSH candidates), which must stay small
 * for the index to beat a scan.
 *
 *   node --import tsx bench/repeat.ts [count]
 */
import { RepeatIndex } from '../classifiers/repeat.js';
import { DEFAULT_TOPICS, TOPIC_TRAINING } from '../classifiers/data/topic-training.js';
import { CLEAN } from './data/eval-clean.js';

const count = Number(process.argv[2] ?? 100_000);
const streets = ['Ленина', 'Гагарина', 'Садовая', 'Мира', 'Советская', 'Лесная', 'Заречная', 'Школьная', 'Набережная', 'Молодёжная',
  'Кирова', 'Пушкина', 'Первомайская', 'Полевая', 'Новая', 'Октябрьская', 'Береговая', 'Степная', 'Комсомольская', 'Победы'];
const openers = ['', 'Здравствуйте! ', 'Добрый день. ', 'Опять ', 'Уважаемая администрация, ', 'Снова пишу: ', 'Помогите! '];
const closers = ['', ' Примите меры.', ' Сколько можно ждать?', ' Ответьте, пожалуйста.', ' Жители возмущены.', ' Спасибо.'];
const examples = DEFAULT_TOPICS.flatMap((t) => TOPIC_TRAINING[t]);

// mulberry32: a seeded generator, so that every run indexes the same incidents.
let seed = 42;
const rnd = (n: number): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (((t ^ (t >>> 14)) >>> 0) / 4294967296 * n) | 0;
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;

function incidentText(): { text: string; location: string } {
  const street = pick(streets);
  const house = 1 + rnd(120);
  return { text: `${pick(openers)}${pick(examples)}, ул. ${street}, дом ${house}.${pick(closers)}`, location: `улица ${street}` };
}

const index = new RepeatIndex();
const t0 = process.hrtime.bigint();
for (let i = 0; i < count; i++) {
  const { text, location } = incidentText();
  index.add({ id: String(i + 1), text, author: `vk:${rnd(30_000)}`, location });
}
const buildSec = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`indexed ${count} incidents in ${buildSec.toFixed(1)} s (${Math.round(count / buildSec)}/s), heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);

// Queries: rephrased repeats of stored problems and new messages from the eval set.
const queries: { text: string; location?: string; author?: string }[] = [];
for (let i = 0; i < 1000; i++) {
  const { text, location } = incidentText();
  queries.push({ text: `${pick(openers)}${text} Повторно!`, location, author: `ok:${i}` });
  queries.push({ text: pick(CLEAN)[0], author: `tg:${i}` });
}
let found = 0;
let repeatsFound = 0;
queries.forEach((q, i) => { if (i % 2 === 0 && index.find(q) !== null) repeatsFound++; });
const t1 = process.hrtime.bigint();
let compared = 0;
for (const q of queries) { if (index.find(q) !== null) found++; compared += index.lastCandidates; }
const querySec = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(`texts compared per query: ${(compared / queries.length).toFixed(0)} on average (a scan would compare ${count})`);
console.log(`${queries.length} queries in ${querySec.toFixed(2)} s: ${(1000 * querySec / queries.length).toFixed(2)} ms per query, ${Math.round(queries.length / querySec)}/s; ${found} found a repeat (${repeatsFound} of the 1000 rephrased repeats)`);
