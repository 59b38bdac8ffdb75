import fs from 'node:fs';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { REASON_LABELS, type ReasonCode } from '../../classifiers/types.js';
import { messageKey } from '../../store/ids.js';
import type { NewIncidentInput, Store, StoredIncident, TenantRuntime } from '../../store/port.js';
import { rawDb } from './store.js';
import { WorkflowError, type Actor } from '../../workflow/incident-machine.js';
import type { Importance } from '../../workflow/profiles.js';

/**
 * A month of realistic work for the example tenant (Зареченск, krymsk profile): messages
 * ingested on three networks, made incidents by the store's own createMany, and driven
 * through the workflow by runCommand at chosen instants — a curator who routes at once or
 * after a long meeting, executors who draft on time or late, drafts returned for rework,
 * answers published or left open — so that terms are met and missed the way the state
 * machine records them. Seeded: the same month every run.
 */

export const TENANT = 'zarechensk';
const CURATOR: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };
const PUBLISHER: Actor = { kind: 'system', name: 'publisher' };

const SUBJECTS: ReadonlyArray<{ topic: string; department: string; texts: readonly string[]; locations: readonly string[] }> = [
  { topic: 'ЖКХ', department: 'zhkh', texts: ['Третий день нет горячей воды', 'Течёт крыша над подъездом', 'Не вывозят мусор, контейнеры переполнены', 'В подвале стоит вода'], locations: ['ул. Ленина', 'ул. Садовая', 'Заречье', 'Южный'] },
  { topic: 'дороги', department: 'roads', texts: ['Огромная яма на дороге', 'Не чистят снег на проезжей части', 'Не работает светофор'], locations: ['ул. Ленина', 'ул. Мира', 'Луговое'] },
  { topic: 'транспорт', department: 'roads', texts: ['Автобус № 5 не ходит по расписанию', 'Отменили рейс в Сосновку'], locations: ['Сосновка', 'Южный'] },
  { topic: 'благоустройство', department: 'blago', texts: ['Сломаны качели на детской площадке', 'Не горят фонари во дворе', 'Упало дерево у дома'], locations: ['Заречье', 'ул. Садовая', 'Луговое'] },
  { topic: 'социальная защита', department: 'social', texts: ['Не пришла выплата многодетной семье', 'Как оформить путёвку для пенсионера'], locations: ['Зареченск'] },
  { topic: 'образование', department: 'education', texts: ['В школе № 2 холодно в классах', 'Нет мест в детском саду'], locations: ['Южный', 'Зареченск'] },
  { topic: 'ЧС и безопасность', department: 'gochs', texts: ['Подтопление улицы после дождя', 'Бродячие собаки нападают на детей'], locations: ['Луговое', 'ул. Мира'] },
];

const NETWORKS = ['vk', 'vk', 'vk', 'ok', 'telegram'] as const;
const REJECTIONS: readonly ReasonCode[] = ['insult', 'insult', 'obscene', 'advertising', 'threat'];

/** Mulberry32: a small seeded generator, so the month is the same every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedMonth {
  readonly runtime: TenantRuntime;
  readonly incidents: number;
  /** Of them, how many went all the way to a published answer. */
  readonly published: number;
}

export async function importExampleTenant(store: Store): Promise<void> {
  await store.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
}

const MINUTE_MS = 60_000;

/**
 * Generates `count` messages detected over the month starting at `monthStart` (UTC
 * instant of the tenant's midnight), mostly in the daytime, and works each one through.
 */
export async function generateMonth(store: Store, monthStart: Date, days: number, count: number, seed = 20261001): Promise<GeneratedMonth> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const runtime = await store.tenants.runtime(TENANT);
  const detections = Array.from({ length: count }, () => {
    const day = Math.floor(random() * days);
    // Citizens write mostly from 8:00 to 23:00 local time; monthStart is the local midnight.
    const hour = 8 + Math.floor(random() * 15);
    return new Date(monthStart.getTime() + day * 86_400_000 + hour * 3_600_000 + Math.floor(random() * 60) * MINUTE_MS);
  }).sort((a, b) => a.getTime() - b.getTime());

  const earlierBySubject = new Map<string, number>();
  let published = 0;
  for (const [index, detectedAt] of detections.entries()) {
    const network = pick(NETWORKS);
    const rejectReason = random() < 0.12 ? pick(REJECTIONS) : null;
    const subject = pick(SUBJECTS);
    const location = random() < 0.9 ? pick(subject.locations) : null;
    const text = rejectReason ? `Сообщение ${index}: ${REASON_LABELS[rejectReason]}` : `${pick(subject.texts)}, ${location ?? 'у нас'}. Когда решите?`;
    const message: NormalizedMessage = {
      network, externalId: `report-${seed}-${index}`, kind: 'comment',
      place: { containerId: '-218475963', postId: '1377', itemId: String(index) },
      author: { id: `citizen-${Math.floor(random() * 400)}`, name: 'Житель', anonymous: false },
      text, attachments: [], createdAt: new Date(detectedAt.getTime() - 2 * MINUTE_MS), matchedKeywords: [], raw: { index },
    };
    const messageId = await storeMessage(store, message, `${network}-main`, detectedAt);
    const subjectKey = `${subject.topic}|${location}`;
    const earlier = rejectReason ? null : earlierBySubject.get(subjectKey) ?? null;
    const repeatOf = earlier !== null && random() < 0.35 ? earlier : null;
    const importance: Importance = subject.topic === 'ЧС и безопасность' || random() < 0.08 ? 'high' : 'normal';
    const incident = await createOne(store, runtime, {
      tenant: TENANT, messageId, network, authorId: message.author.id, postedAt: message.createdAt, detectedAt,
      verdict: rejectReason
        ? { rejected: true, reasonCode: rejectReason, reason: REASON_LABELS[rejectReason], evidence: [text] }
        : { rejected: false, topic: { value: subject.topic, confidence: 0.8 }, location: location ? { value: location } : null, importance: { value: importance } },
      classify: { rejected: rejectReason !== null, reason: rejectReason ? REASON_LABELS[rejectReason] : null, reasonCode: rejectReason, topic: subject.topic, location, importance, repeatOf },
      earlier: repeatOf !== null ? { number: repeatOf, departments: [subject.department], answer: null } : null,
    });
    if (rejectReason) continue;
    if (!earlierBySubject.has(subjectKey)) earlierBySubject.set(subjectKey, incident.number);
    if (await workThrough(store, runtime, incident.number, subject, importance, detectedAt, random)) published++;
  }
  return { runtime, incidents: count, published };
}

/**
 * One incident's path, with delays drawn so that most terms are met and some are missed:
 * quick routing (minutes) or a late one (hours), a draft within hours or after days, now
 * and then a return for rework, and a few left open at the month's end.
 */
async function workThrough(store: Store, runtime: TenantRuntime, number: number, subject: (typeof SUBJECTS)[number], importance: Importance, detectedAt: Date, random: () => number): Promise<boolean> {
  let now = detectedAt.getTime();
  const step = (minutes: number) => {
    now += Math.round(minutes * MINUTE_MS);
    return new Date(now);
  };
  const late = () => random() < 0.18;
  if (random() < 0.04) {
    await store.incidents.apply(runtime, number, { type: 'reject', reason: 'competence', comment: 'Вопрос федерального уровня' }, CURATOR, step(20));
    return false;
  }
  const routed = await store.incidents.apply(runtime, number, {
    type: 'confirm-and-route', topic: subject.topic, location: (await store.incidents.get(TENANT, number))!.location, importance, departments: [subject.department],
  }, CURATOR, step(late() ? 240 + random() * 600 : 5 + random() * 20)).catch((error: unknown) => {
    if (error instanceof WorkflowError) return null;
    throw error;
  });
  if (!routed) return false;
  const executor: Actor = { kind: 'staff', code: routed.incident.assignee!, roles: ['executor'] };
  // A few stay with the executor: still open when the report is made.
  if (random() < 0.06) return false;
  await store.incidents.apply(runtime, number, { type: 'take' }, executor, step(10 + random() * 60));
  const draftText = `Здравствуйте! По обращению № ${number} работы выполнят до 30 октября 2026 года.`;
  await store.incidents.apply(runtime, number, { type: 'submit-draft', draft: { id: `d${number}-1`, kind: 'answer', text: draftText } }, executor, step(late() ? 900 + random() * 3000 : 60 + random() * 150));
  if (random() < 0.15) {
    await store.incidents.apply(runtime, number, { type: 'return-for-rework', comment: 'Укажите конкретные сроки работ' }, CURATOR, step(10 + random() * 20));
    await store.incidents.apply(runtime, number, { type: 'submit-draft', draft: { id: `d${number}-2`, kind: 'answer', text: `${draftText} Бригада выедет 20 октября.` } }, executor, step(late() ? 180 : 20 + random() * 30));
  }
  await store.incidents.apply(runtime, number, { type: 'approve' }, CURATOR, step(late() ? 120 + random() * 200 : 5 + random() * 20));
  await store.incidents.apply(runtime, number, { type: 'publish-started' }, PUBLISHER, step(1));
  await store.incidents.apply(runtime, number, { type: 'published' }, PUBLISHER, step(0.5));
  return true;
}

export interface QuickIncident {
  readonly id: string;
  readonly detectedAt: Date;
  readonly topic: string;
  readonly location: string | null;
  readonly importance?: Importance;
  readonly network?: 'vk' | 'ok' | 'telegram';
}

/** One message and its incident as the classifier makes it (state «На распределении»), without the staff's steps. */
export async function addIncident(store: Store, runtime: TenantRuntime, q: QuickIncident): Promise<number> {
  const network = q.network ?? 'vk';
  const message: NormalizedMessage = {
    network, externalId: `quick-${q.id}`, kind: 'comment',
    place: { containerId: '-218475963', postId: '1377', itemId: q.id },
    author: { id: `citizen-${q.id}`, name: 'Житель', anonymous: false },
    text: `${q.topic}: ${q.location ?? ''}`, attachments: [], createdAt: q.detectedAt, matchedKeywords: [], raw: { id: q.id },
  };
  const messageId = await storeMessage(store, message, `${network}-main`, q.detectedAt);
  const importance = q.importance ?? 'normal';
  const incident = await createOne(store, runtime, {
    tenant: TENANT, messageId, network, authorId: message.author.id, postedAt: q.detectedAt, detectedAt: q.detectedAt,
    verdict: { rejected: false, topic: { value: q.topic, confidence: 0.8 }, location: q.location ? { value: q.location } : null, importance: { value: importance } },
    classify: { rejected: false, reason: null, reasonCode: null, topic: q.topic, location: q.location, importance, repeatOf: null },
  });
  return incident.number;
}

/** Stores one message as a connector would, detected at `detectedAt`; returns its key. */
export async function storeMessage(store: Store, message: NormalizedMessage, account: string, detectedAt: Date): Promise<string> {
  await store.messages.ingest(TENANT, [message], account);
  const key = messageKey(TENANT, message.network, message.externalId);
  await rawDb(store).collection('messages').updateOne({ _id: key as never }, { $set: { fetchedAt: detectedAt } });
  return key;
}

/** One incident made as the classifier makes it, at its detection time. */
export async function createOne(store: Store, runtime: TenantRuntime, input: NewIncidentInput): Promise<StoredIncident> {
  const [created] = await store.incidents.createMany(runtime, [input], input.detectedAt);
  return created!.incident;
}
