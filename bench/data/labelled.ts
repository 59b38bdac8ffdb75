/**
 * The labelled comment sets of issue 13 (comments-tuning.txt, comments-heldout*.txt): one
 * message per line, its labels first, separated by « | »:
 *
 *   label | topic | importance | street and house | text
 *
 * - label: `ok` for a message to process, or `ok:<kind>` (angry, trap, formal, address);
 *   a reason code for one to reject, with the kind of abuse after a colon
 *   (`obscene:masked`, `insult:no2nd`, `violence-call:wish` …).
 * - topic and importance (`h` high, `n` normal): for messages to process; `-` otherwise.
 * - street and house: the street named in the text and its house number, the number last
 *   («Ленина 14», «8 Марта 10», «Мира 23к2», «Комарова 2/1»); `-` when the text names none.
 *
 * Lines starting with # are comments. The files are read by the benchmarks only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REASON_CODES, type ReasonCode } from '../../classifiers/types.js';

export interface LabelledMessage {
  readonly line: number;
  readonly text: string;
  /** null: a message to process. */
  readonly reason: ReasonCode | null;
  /** The kind after the colon: «masked», «no2nd», «trap» …; '' when none. */
  readonly kind: string;
  readonly topic: string | null;
  readonly high: boolean | null;
  readonly place: { readonly street: string; readonly house: string } | null;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function parseLabelled(source: string, name: string): LabelledMessage[] {
  const out: LabelledMessage[] = [];
  source.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(' | ');
    if (parts.length < 5) throw new Error(`${name}:${i + 1}: expected 5 fields separated by « | »`);
    const [label, topic, importance, place] = parts.map((p) => p.trim()) as [string, string, string, string];
    const text = parts.slice(4).join(' | ').trim();
    const [head, kind = ''] = label.split(':') as [string, string?];
    const reason = head === 'ok' ? null : (head as ReasonCode);
    if (reason !== null && !REASON_CODES.includes(reason)) throw new Error(`${name}:${i + 1}: unknown label «${label}»`);
    if (reason === null && (topic === '-' || !['h', 'n'].includes(importance))) throw new Error(`${name}:${i + 1}: a message to process needs a topic and h or n`);
    let parsedPlace: LabelledMessage['place'] = null;
    if (place !== '-') {
      const m = /^(.+) (\S+)$/.exec(place);
      if (!m) throw new Error(`${name}:${i + 1}: place «${place}» must be «street house»`);
      parsedPlace = { street: m[1]!, house: m[2]! };
    }
    out.push({
      line: i + 1, text, reason, kind,
      topic: topic === '-' ? null : topic,
      high: importance === 'h' ? true : importance === 'n' ? false : null,
      place: parsedPlace,
    });
  });
  return out;
}

export type LabelledFile = 'comments-tuning.txt' | 'comments-heldout.txt' | 'comments-heldout-2.txt' | 'comments-heldout-3.txt' | 'comments-heldout-4.txt' | 'comments-heldout-5.txt' | 'comments-heldout-6.txt' | 'comments-heldout-7.txt' | 'comments-heldout-8.txt' | 'comments-heldout-9.txt' | 'comments-heldout-10.txt' | 'comments-heldout-11.txt' | 'comments-heldout-12.txt' | 'comments-heldout-13.txt' | 'comments-heldout-14.txt' | 'comments-heldout-15.txt' | 'comments-heldout-16.txt';

/** Whether a set is in this checkout (the third held-out set arrives after the topic work). */
export function hasLabelled(file: LabelledFile): boolean {
  return fs.existsSync(path.join(here, file));
}

export function loadLabelled(file: LabelledFile): LabelledMessage[] {
  const full = path.join(here, file);
  if (!fs.existsSync(full)) throw new Error(`bench/data/${file} is not in this checkout`);
  return parseLabelled(fs.readFileSync(full, 'utf8'), file);
}
