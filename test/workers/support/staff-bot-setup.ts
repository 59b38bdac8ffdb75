// What the staff bot's test files share: the example tenant, incidents made by the
// classifier worker's own step, and a bot on the real client with a fake clock.
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../../config/tenant-schema.js';
import { TelegramClient } from '../../../connectors/telegram/client.js';
import { unthrottled } from '../../../connectors/throttle.js';
import type { NormalizedMessage } from '../../../connectors/types.js';
import type { Store } from '../../../store/port.js';
import { TenantRuntimeCache } from '../../../store/tenant-runtime.js';
import { classifyQueued } from '../../support/classify.js';
import { rawDb } from '../../support/store.js';
import { StaffBot } from '../../../workers/staff-bot/bot.js';
import { testRetry } from '../../connectors/support/fast.js';
import { TOKEN } from './staff-bot-telegram.js';

export async function importExampleTenant(store: Store): Promise<void> {
  await store.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
}

/** A bot as the worker makes it; a new one is a restart (nothing in memory survives). */
export function newBot(store: Store, now: () => Date, logLines: string[] = []): StaffBot {
  const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry: testRetry().retry, longPollWaitSec: 0, timeoutMs: 2000 });
  const log = pino({ level: 'info' }, new Writable({ write(chunk: Buffer, _enc, done) { logLines.push(chunk.toString()); done(); } }));
  return new StaffBot({ store, client, runtimes: new TenantRuntimeCache(store), log, now });
}

export function vkMessage(id: string, text: string, author: string): NormalizedMessage {
  return {
    network: 'vk', externalId: `wall-218475963_1377_${id}`, kind: 'comment',
    place: { containerId: '-218475963', postId: '1377', itemId: id, url: `https://vk.com/wall-218475963_1377?reply=${id}` },
    author: { id: author, name: 'Иван Смирнов', anonymous: false }, text, attachments: [],
    // Tuesday 2026-11-24 10:00 Moscow: office hours of the example tenant.
    createdAt: new Date('2026-11-24T07:00:00Z'), matchedKeywords: [], raw: { id },
  };
}

/** Messages in, through the classifier worker's step: incidents and their notices. */
export async function classify(store: Store, messages: NormalizedMessage[], tenant = 'zarechensk'): Promise<void> {
  await store.messages.ingest(tenant, messages, 'vk-main');
  await rawDb(store).collection('messages').updateMany({ incident: { $exists: false } }, { $set: { fetchedAt: new Date('2026-11-24T07:00:10Z') } });
  await classifyQueued(store, new Date('2026-11-24T07:00:30Z'));
}
