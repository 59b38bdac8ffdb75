/**
 * Repeats in the store's design (classifiers/repeat.ts) with 100,000 incidents filed in
 * memory the way the store files them: keys per message, candidates per look-up, the size
 * of an entry, the time of a probe and of a decision; and how well it tells repeats from
 * new problems:
 *
 * - a rephrased report of a stored problem at the same address (words dropped and
 *   reordered, «опять», «до сих пор») should be a repeat;
 * - a stored incident's author writing about another problem (a tuning comment) should not be;
 * - the tuning comments (new problems from new authors) should not be.
 *
 *   node --import tsx bench/repeat.ts [count]
 */
import { countNearCopies, decideRepeat, RepeatIndex, repeatEntry, repeatProbe, type RepeatProbe } from '../classifiers/repeat.js';
import { DEFAULT_TOPICS, TOPIC_TRAINING } from '../classifiers/data/topic-training.js';
import { loadLabelled } from './data/labelled.js';

const count = Number(process.argv[2] ?? 100_000);
const DAY_MS = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 0, 1);
const streets = ['Ленина', 'Гагарина', 'Садовая', 'Мира', 'Советская', 'Лесная', 'Заречная', 'Школьная', 'Набережная', 'Молодёжная',
  'Кирова', 'Пушкина', 'Первомайская', 'Полевая', 'Новая', 'Октябрьская', 'Береговая', 'Степная', 'Комсомольская', 'Победы'];
const openers = ['', 'Здравствуйте! ', 'Добрый день. ', 'Уважаемая администрация, ', 'Помогите! '];
const closers = ['', ' Примите меры.', ' Сколько можно ждать?', ' Ответьте, пожалуйста.', ' Жители возмущены.', ' Спасибо.'];
const examples = DEFAULT_TOPICS.flatMap((topic) => TOPIC_TRAINING[topic].map((text) => ({ text, topic })));

// mulberry32: a seeded generator, so that every run files the same incidents.
let seed = 42;
const rnd = (n: number): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (((t ^ (t >>> 14)) >>> 0) / 4294967296 * n) | 0;
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;

interface Incident { id: string; example: { text: string; topic: string }; street: string; house: string; author: string; at: number }

function textOf(example: string, street: string, house: string): string {
  return `${pick(openers)}${example}, ул. ${street}, дом ${house}.${pick(closers)}`;
}

/** The same problem told again: some words dropped, two swapped, «опять» or «до сих пор». */
function rephrase(example: string): string {
  const words = example.replace(/[.,!?]/g, '').split(' ');
  const kept = words.filter(() => rnd(10) >= 3);
  if (kept.length > 3) { const i = rnd(kept.length - 1); [kept[i], kept[i + 1]] = [kept[i + 1]!, kept[i]!]; }
  return `${pick(['Опять', 'До сих пор', 'Снова', 'Всё ещё'])} ${kept.join(' ').toLowerCase()}`;
}

const index = new RepeatIndex();
const incidents: Incident[] = [];
let entryBytes = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < count; i++) {
  const incident: Incident = { id: String(i + 1), example: pick(examples), street: pick(streets), house: String(1 + rnd(120)), author: `vk:${rnd(30_000)}`, at: T0 + Math.floor((i / count) * 170 * DAY_MS) };
  const probe = repeatProbe({ text: textOf(incident.example.text, incident.street, incident.house), author: incident.author, location: `улица ${incident.street}`, house: incident.house, topic: incident.example.topic, at: incident.at });
  const entry = repeatEntry(probe, incident.id);
  if (i < 1000) entryBytes += JSON.stringify(entry).length;
  index.file(probe.keys, entry);
  incidents.push(incident);
}
const buildSec = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`filed ${count} incidents in ${buildSec.toFixed(1)} s (${Math.round(count / buildSec)}/s), heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
console.log(`an entry as JSON: ${Math.round(entryBytes / Math.min(count, 1000))} bytes on average; 13 keys per message (12 LSH bands, one place-and-topic key)`);

const now = T0 + 175 * DAY_MS;
type Query = { probe: RepeatProbe; expect: string | null; kind: 'repeat' | 'same author, new problem' | 'new problem' };
const queries: Query[] = [];
const newProblems = loadLabelled('comments-tuning.txt').filter((r) => r.reason === null);
for (let i = 0; i < 1000; i++) {
  // Recent incidents: the newest entries under a key are the ones the store keeps.
  const original = incidents[count - 1 - rnd(Math.min(count, 20_000))]!;
  queries.push({
    probe: repeatProbe({ text: `${rephrase(original.example.text)} на ${original.street} ${original.house}`, author: `ok:${i}`, location: `улица ${original.street}`, house: original.house, topic: original.example.topic, at: now }),
    expect: original.id,
    kind: 'repeat',
  });
  // The author of a stored incident writes about something else (a comment of the tuning set).
  const fresh = pick(newProblems);
  queries.push({
    probe: repeatProbe({ text: fresh.text, author: original.author, ...(fresh.topic ? { topic: fresh.topic } : {}), at: now }),
    expect: null,
    kind: 'same author, new problem',
  });
}
for (const [i, row] of newProblems.entries()) {
  queries.push({ probe: repeatProbe({ text: row.text, author: `tg:${i}`, ...(row.topic ? { topic: row.topic } : {}), at: now }), expect: null, kind: 'new problem' });
}

let compared = 0;
const stats = new Map<Query['kind'], { n: number; right: number }>();
const t1 = process.hrtime.bigint();
for (const q of queries) {
  const candidates = index.candidates(q.probe.keys);
  compared += candidates.length;
  const m = decideRepeat(q.probe, candidates);
  countNearCopies(q.probe, candidates);
  const s = stats.get(q.kind) ?? { n: 0, right: 0 };
  s.n++;
  // A repeat counts as found when it points to the original or to an equally good report of
  // the same problem at the same address.
  const found = m !== null && (m.incidentId === q.expect || (q.expect !== null && incidents[Number(m.incidentId) - 1]!.example.text === incidents[Number(q.expect) - 1]!.example.text));
  if (q.expect === null ? m === null : found) s.right++;
  stats.set(q.kind, s);
}
const querySec = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(`candidates per look-up: ${(compared / queries.length).toFixed(0)} on average (a scan would compare ${count})`);
console.log(`${queries.length} look-ups and decisions in ${querySec.toFixed(2)} s: ${(1000 * querySec / queries.length).toFixed(3)} ms each`);
for (const [kind, s] of stats) {
  console.log(kind === 'repeat'
    ? `rephrased repeats found: ${s.right} of ${s.n} (${(100 * s.right / s.n).toFixed(1)} %)`
    : `${kind}: ${s.n - s.right} of ${s.n} wrongly called a repeat (${(100 * (s.n - s.right) / s.n).toFixed(1)} %)`);
}
