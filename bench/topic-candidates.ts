/**
 * Candidates for relabelling the writers' topics by the topic guide (classifiers/data/topic-guide.ts):
 * acceptable lines that name one of the guide's two-topic subjects under a topic the guide does not
 * give it, and lines whose topic differs from the leave-one-writer-out prediction. A curator reads
 * each candidate and decides; this only finds them. Prints one tab-separated row per candidate:
 * file, line, topic, subjects (with the topics the guide allows), LOWO prediction and its
 * confidence, text.
 *
 *   nice -n 10 node --import tsx bench/topic-candidates.ts [--subjects-only] [--min-confidence=0.6]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LEXICON, handWrittenExamples, LABELLED_LINE_WEIGHT } from '../classifiers/default-model.js';
import { DEFAULT_TOPICS } from '../classifiers/data/topic-training.js';
import { normalize } from '../classifiers/normalize.js';
import { TopicModel, topicStems, type LabelledText } from '../classifiers/topic.js';
import { COMMENT_FILES, CORPUS_DIR } from './abuse-data.js';
import { parseLabelled, type LabelledMessage } from './data/labelled.js';

/** A tie-break subject of the guide: the words that name it and the topics the guide can give it. */
interface Subject { readonly name: string; readonly pattern: RegExp; readonly topics: readonly string[] }

export const GUIDE_SUBJECTS: readonly Subject[] = [
  { name: 'люк', pattern: /(?<![а-яё])люк/i, topics: ['ЖКХ'] },
  { name: 'газ', pattern: /(?<![а-яё])газ(?!ел|он|ет)|газов/i, topics: ['ЖКХ'] },
  { name: 'сосульки', pattern: /сосул|наледь с крыш|снег с крыш/i, topics: ['ЖКХ'] },
  { name: 'почта', pattern: /(?<![а-яё])почт|(?<![а-яё])пенси[юя] (прин|дост|не прин)|посылк/i, topics: ['связь и интернет'] },
  { name: 'сайт', pattern: /(?<![а-яё])сайт|госуслуг|(?<![а-яё])мфц/i, topics: ['другое', 'социальная защита'] },
  { name: 'самокат', pattern: /самокат|курьер/i, topics: ['транспорт', 'торговля и услуги'] },
  { name: 'переход', pattern: /переход|светофор|(?<![а-яё])зебр/i, topics: ['дороги'] },
  { name: 'стройка', pattern: /застройщ|стройк|котлован|(?<![а-яё])снос|самостро/i, topics: ['градостроительство и земля', 'образование'] },
  { name: 'вырубка', pattern: /вырубк|вырубил|вырубают|спилил|спиливают/i, topics: ['благоустройство', 'градостроительство и земля', 'экология и отходы'] },
  { name: 'пляж', pattern: /пляж/i, topics: ['культура и спорт', 'экология и отходы', 'ЧС и безопасность'] },
  { name: 'люди', pattern: /бездомн(?!ые? (соба|кош|живот|пс))|(?<![а-яё])бомж|пьян|(?<![а-яё])драк|дерут|наркоман|закладчик|подозрительн/i, topics: ['ЧС и безопасность', 'торговля и услуги'] },
  { name: 'заведение', pattern: /(?<![а-яё])бар(?![а-яё])|(?<![а-яё])бара(?![а-яё])|(?<![а-яё])баре(?![а-яё])|кафе|шашлычн|рюмочн|наливайк|разлива|кальянн|караоке/i, topics: ['торговля и услуги'] },
  { name: 'потерял', pattern: /потерял|забыл[аи]? в (автобус|маршрут|электрич|трамв|такси)/i, topics: ['транспорт'] },
  { name: 'спасибо', pattern: /спасибо|благодар/i, topics: [] },
  { name: 'животные', pattern: /собак|(?<![а-яё])пс[аы](?![а-яё])|(?<![а-яё])пёс|кошк|кошек|котят|медвед|(?<![а-яё])лис[аыуие](?![а-яё])|кабан|(?<![а-яё])лос[ья]|тигр/i, topics: ['безнадзорные животные', 'здравоохранение'] },
  { name: 'природа', pattern: /ворон|(?<![а-яё])бобр|клещ|комар|чайк|голуб|(?<![а-яё])ос[ыа](?![а-яё])|шершн|мошк/i, topics: ['экология и отходы', 'здравоохранение', 'ЖКХ'] },
  { name: 'паводок', pattern: /затоп|подтоп|паводок|паводк|разлив реки|наводнен/i, topics: ['ЧС и безопасность', 'ЖКХ'] },
  { name: 'свет', pattern: /отключ[а-я]* (свет|электр)|без света|нет света|света нет/i, topics: ['ЖКХ'] },
  { name: 'домофон', pattern: /домофон/i, topics: ['ЖКХ'] },
  { name: 'школа', pattern: /(школ|сад)[а-я]* .{0,40}(строит|достро|постро)|(строит|достро|постро)[а-я]* .{0,40}(школ|сад[аеуо]?(?![а-яё]))/i, topics: ['образование'] },
  { name: 'банк', pattern: /(?<![а-яё])банк|банкомат/i, topics: ['торговля и услуги'] },
  { name: 'аптека', pattern: /аптек/i, topics: ['здравоохранение'] },
  { name: 'мост', pattern: /(?<![а-яё])мост/i, topics: ['дороги'] },
  { name: 'пробки', pattern: /пробк/i, topics: ['дороги'] },
  { name: 'ДТП', pattern: /(?<![а-яё])дтп(?![а-яё])|(?<![а-яё])сбил|сбива/i, topics: ['дороги'] },
];

interface Row { readonly file: string; readonly msg: LabelledMessage }

function writerRows(): { name: string; rows: Row[] }[] {
  const out: { name: string; rows: Row[] }[] = [];
  const here = path.dirname(fileURLToPath(import.meta.url));
  const files = [...COMMENT_FILES, 'comments-heldout-13.txt', 'comments-heldout-14.txt'].map((f) => path.join(here, 'data', f));
  const corpora = fs.readdirSync(CORPUS_DIR).filter((f) => /^corpus-.*\.txt$/.test(f)).sort().map((f) => path.join(CORPUS_DIR, f));
  for (const full of [...files, ...corpora]) {
    if (!fs.existsSync(full)) continue;
    const name = path.relative(path.join(here, '..'), full);
    const rows = parseLabelled(fs.readFileSync(full, 'utf8'), name).filter((m) => m.reason === null && m.topic !== null).map((msg) => ({ file: name, msg }));
    out.push({ name, rows });
  }
  return out;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (isMain) {
  const subjectsOnly = process.argv.includes('--subjects-only');
  const minConfidence = Number(process.argv.find((a) => a.startsWith('--min-confidence='))?.slice(17) ?? 0);
  const stems = (text: string): string[] => topicStems(normalize(text));
  const options = { topics: DEFAULT_TOPICS, lexicon: DEFAULT_LEXICON, lexiconWeight: 5, stems };
  const writers = writerRows();
  const shipped = handWrittenExamples();
  // Sets 13 and 14 are in no training data: they are scored, never learned from.
  const trained = new Set([...COMMENT_FILES.map((f) => `bench/data/${f}`), ...writers.filter((w) => w.name.includes('corpus')).map((w) => w.name)]);
  for (const held of writers) {
    let predict: (text: string) => { value: string; confidence: number } = () => ({ value: '', confidence: 0 });
    if (!subjectsOnly) {
      const others: LabelledText[] = writers.filter((w) => w !== held && trained.has(w.name)).flatMap((w) => w.rows.map((r) => ({ text: r.msg.text, topic: r.msg.topic!, weight: LABELLED_LINE_WEIGHT, group: w.name })));
      const model = TopicModel.train([...shipped, ...others], options);
      predict = (text) => model.classify(normalize(text), stems(text));
    }
    for (const { file, msg } of held.rows) {
      const hits = GUIDE_SUBJECTS.filter((s) => s.pattern.test(msg.text));
      const off = hits.filter((s) => s.topics.length === 0 || !s.topics.includes(msg.topic!));
      const guess = predict(msg.text);
      const disagrees = !subjectsOnly && guess.value !== msg.topic && guess.confidence >= minConfidence;
      if (off.length === 0 && !disagrees) continue;
      const subjects = hits.map((s) => `${s.name}${s.topics.includes(msg.topic!) ? '' : '!'}`).join(',') || '-';
      console.log([file, msg.line, msg.topic, subjects, guess.value || '-', guess.confidence.toFixed(2), msg.text].join('\t'));
    }
  }
}
