import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { parse } from 'yaml';
import { tenantFileSchema } from '../config/tenant-schema.js';
import type { NormalizedMessage } from '../connectors/types.js';
import { dbOf, openStore, type Store } from '../store/connection.js';
import { startEmbeddedStore } from '../store/embedded/server.js';
import type { ClassifyPayload } from '../store/messages.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { saveCredential } from '../store/web/accounts.js';
import { openWebStore } from '../store/web/index.js';
import { LiveHub } from '../web/live.js';
import { hashPassword } from '../web/passwords.js';
import { buildWebApp } from '../web/server.js';
import type { Actor, Command } from '../workflow/incident-machine.js';
import { ClassificationCache, classifyBatch } from '../workers/classification.js';

/**
 * The screenshots in docs/ (README, «Рабочее место»): the example municipality on a
 * Tuesday morning, drawn by Debian's chromium from the real server and store.
 *   node --import tsx bench/web-screenshots.ts [OUT_DIR=docs]
 */
const OUT = path.resolve(process.argv[2] ?? 'docs');
const CHROMIUM = process.env.OTKLIK_CHROMIUM ?? '/usr/bin/chromium';
const TENANT = 'zarechensk';
// Tuesday 2026-11-24, 11:40 in Moscow.
const NOW = new Date('2026-11-24T08:40:00Z');
const at = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00+03:00`);

const MESSAGES: ReadonlyArray<[string, 'vk' | 'telegram' | 'ok', string, string]> = [
  ['09:05', 'vk', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'Иван Смирнов'],
  ['09:20', 'telegram', 'На проспекте Победы у остановки огромная яма, вчера вечером две машины пробили колёса. Администрация, отремонтируйте!', 'Ольга К.'],
  ['09:45', 'vk', 'В Сосновке на Центральной улице не горят фонари, детям страшно ходить в школу', 'Пётр Васильев'],
  ['10:10', 'ok', 'Когда вывезут мусор с площадки во дворе дома 12 на улице Мира? Переполнено уже неделю', 'Наталья Орлова'],
  ['10:30', 'vk', 'Да вы там все идиоты в администрации, ничего не делаете', 'аноним'],
  ['10:50', 'telegram', 'В школе № 3 холодно в классах, дети сидят в куртках. Глава округа, разберитесь', 'Мария Л.'],
  ['11:05', 'vk', 'Опять нет горячей воды на улице Ленина в доме 5, уже неделю! Когда будет?', 'Иван Смирнов'],
  ['11:25', 'ok', 'На Садовой улице упало дерево на провода, света нет во всём доме', 'Сергей Н.'],
];

function normalized(k: number, [hhmm, network, text, name]: (typeof MESSAGES)[number]): NormalizedMessage {
  const id = `shot-${k}`;
  const place = network === 'vk'
    ? { containerId: '-218475963', postId: '1377', itemId: id, url: `https://vk.com/wall-218475963_1377?reply=${k}` }
    : network === 'ok' ? { containerId: '70000001234567', postId: '155', itemId: id, discussionType: 'GROUP_TOPIC' } : { containerId: '-1001555000111', itemId: id, url: `https://t.me/c/1555000111/${k}` };
  return { network, externalId: id, kind: 'comment', place, author: { id: `u${k}`, name, anonymous: false }, text, attachments: [], createdAt: at(hhmm), matchedKeywords: [], raw: { id } };
}

/** Stored as a connector stores it, detected at `detectedAt`, and classified by the classifier worker's own step. */
async function detect(store: Store, message: NormalizedMessage, account: string, detectedAt: Date, classifiedAt: Date): Promise<void> {
  await store.messages.ingest(TENANT, [message], account);
  await dbOf(store).connection.db!.collection('messages').updateOne({ _id: `${TENANT}:${message.network}:${message.externalId}` as never }, { $set: { fetchedAt: detectedAt } });
  for (;;) {
    const items = await store.work.claim<ClassifyPayload>('classify', 'shots', new Date(Date.now() + 1000), 60_000, 10);
    if (items.length === 0) return;
    await classifyBatch(store, runtimes, classifications, items, classifiedAt);
    await store.work.complete('classify', items);
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-shots-'));
const embedded = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: null });
const store = await openStore({ uri: embedded.uri, dbName: 'shots' });
let runtimes: TenantRuntimeCache;
let classifications: ClassificationCache;
try {
  await store.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
  runtimes = new TenantRuntimeCache(store);
  classifications = new ClassificationCache(store);
  for (const [k, m] of MESSAGES.entries()) {
    const message = normalized(k, m);
    await detect(store, message, m[1] === 'vk' ? 'vk-main' : m[1] === 'ok' ? 'ok-main' : 'tg-bot', new Date(message.createdAt.getTime() + 30_000), new Date(message.createdAt.getTime() + 40_000));
  }
  // Earlier this month, answered: the dashboard's answer times.
  const answered: ReadonlyArray<[string, string, string]> = [
    ['2026-11-10T10:00', 'На улице Гагарина не работает светофор у школы', 'roads'],
    ['2026-11-12T09:30', 'Во дворе дома 7 на улице Мира сломаны качели', 'blago'],
    ['2026-11-17T14:00', 'Когда откроют поликлинику после ремонта?', 'social'],
    ['2026-11-19T11:00', 'Нет отопления в доме 3 на Заводской улице', 'zhkh'],
  ];
  const earlierNumbers: Array<[number, string, Date]> = [];
  for (const [k, [when, text, dept]] of answered.entries()) {
    const posted = new Date(`${when}:00+03:00`);
    const message: NormalizedMessage = { ...normalized(100 + k, ['00:00', 'vk', text, 'Житель']), createdAt: posted };
    await detect(store, message, 'vk-main', posted, posted);
    earlierNumbers.push([MESSAGES.length + k + 1, dept, posted]);
  }
  const runtime = await store.tenants.runtime(TENANT);
  for (const [k, [n, dept, posted]] of earlierNumbers.entries()) {
    const later = (hours: number) => new Date(posted.getTime() + hours * 3_600_000);
    const executor = runtime.departments.find((d) => d.code === dept)!.executors[0]!;
    const exec: Actor = { kind: 'staff', code: executor, roles: ['executor'] };
    const boss: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };
    const system: Actor = { kind: 'system', name: 'publisher' };
    await store.incidents.apply(runtime, n, { type: 'confirm-and-route', topic: 'другое', location: null, importance: 'normal', departments: [dept] }, boss, later(0.2));
    await store.incidents.apply(runtime, n, { type: 'submit-draft', draft: { id: `shot-e${n}`, kind: 'answer', text: 'Здравствуйте! Работы выполнены 20 ноября 2026 года. Спасибо за обращение.' } }, exec, later(1 + k * 2));
    await store.incidents.apply(runtime, n, { type: 'approve' }, boss, later(1.5 + k * 2));
    await store.incidents.apply(runtime, n, { type: 'publish-started' }, system, later(1.6 + k * 2));
    await store.incidents.apply(runtime, n, { type: 'published' }, system, later(1.7 + k * 2));
  }
  const curator: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };
  const run = (n: number, command: Command, actor: Actor, when: string) => store.incidents.apply(runtime, n, command, actor, at(when));
  await run(1, { type: 'confirm-and-route', topic: 'ЖКХ', location: 'улица Ленина, дом 5', importance: 'high', departments: ['zhkh'], assignee: 'orlova' }, curator, '09:15');
  await run(1, { type: 'take' }, { kind: 'staff', code: 'orlova', roles: ['executor'] }, '09:30');
  await run(1, { type: 'submit-draft', draft: { id: 'shot-d1', kind: 'answer', text: 'Здравствуйте! Подача горячей воды будет восстановлена в ближайшее время. Спасибо за обращение.' } }, { kind: 'staff', code: 'orlova', roles: ['executor'] }, '10:40');
  await run(2, { type: 'confirm-and-route', topic: 'дороги', location: 'проспект Победы', importance: 'normal', departments: ['roads'] }, curator, '09:40');
  await run(4, { type: 'confirm-and-route', topic: 'экология и отходы', location: 'улица Мира, дом 12', importance: 'normal', departments: ['blago'] }, curator, '10:25');
  const web = await openWebStore(store);
  await web.saveCannedAnswer({ tenant: TENANT, title: 'Горячая вода: аварийный ремонт', text: 'Подача горячей воды будет восстановлена после аварийного ремонта до …', topic: 'ЖКХ', by: 'Петрова Анна Сергеевна', now: NOW });
  const hash = await hashPassword('screenshots-2026');
  for (const code of ['petrova', 'glava']) await saveCredential(store, { login: code, passwordHash: hash, accounts: [{ tenant: TENANT, code }] }, NOW);
  const app = await buildWebApp({ store: web, live: new LiveHub(web, { warn: () => undefined }), now: () => NOW });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const signIn = async (login: string, viewport: { width: number; height: number }) => {
    const page = await (await browser.newContext({ viewport, locale: 'ru-RU', deviceScaleFactor: 1 })).newPage();
    await page.goto(`${url}/login`);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'screenshots-2026');
    await Promise.all([page.waitForURL(/\/inbox/), page.click('form[action="/login"] button[type=submit]')]);
    return page;
  };
  fs.mkdirSync(OUT, { recursive: true });
  const curatorPage = await signIn('petrova', { width: 1280, height: 760 });
  await curatorPage.screenshot({ path: path.join(OUT, 'inbox.png') });
  await curatorPage.goto(`${url}/incidents/1`);
  await curatorPage.screenshot({ path: path.join(OUT, 'card.png'), fullPage: true });
  const headPage = await signIn('glava', { width: 1280, height: 900 });
  await headPage.goto(`${url}/dashboard`);
  await headPage.screenshot({ path: path.join(OUT, 'dashboard.png'), fullPage: true });
  const phone = await signIn('petrova', { width: 390, height: 844 });
  await phone.screenshot({ path: path.join(OUT, 'inbox-phone.png') });
  await browser.close();
  await app.close();
  web.stop();
  for (const name of ['inbox.png', 'card.png', 'dashboard.png', 'inbox-phone.png']) console.log(`${path.join(OUT, name)}  ${(fs.statSync(path.join(OUT, name)).size / 1024).toFixed(0)} KB`);
} finally {
  await store.close();
  await embedded.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
