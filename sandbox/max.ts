import type { ServerResponse } from 'node:http';
import { authorName, SANDBOX_CREDENTIALS, SANDBOX_PHOTO, type RecordedAttachment, type SandboxFile, type SandboxState, type ScriptedItem } from './state.js';
import { floodAnswer } from './hostile.js';
import { sendJson, type UploadedPart } from './http.js';

const { token: TOKEN, botUserId: BOT_ID, channelId: CHANNEL, cityChatId: CITY } = SANDBOX_CREDENTIALS.max;
const USER_BASE = 210000100;
/** Dialog ids differ from user ids in MAX; the sandbox keeps them apart the same way. */
const DIALOG_BASE = 93000000000;
/** 2^53 + 2: the marker of a poisoned answer (`poisonedIds`), beyond what a double holds exactly. */
const POISONED_MARKER = 2 ** 53 + 2;
const BOT = { user_id: BOT_ID, first_name: 'Отклик (песочница)', username: 'otklik_sandbox_bot', is_bot: true, last_activity_time: 0, name: 'Отклик (песочница)' };

type Json = Record<string, unknown>;
interface StoredMessage { readonly chatId: number; readonly postMid?: string; readonly message: Json }

/**
 * The subset of the MAX Bot API the connector uses (reference/max-bot-api.subset.yaml in
 * connectors/max): GET /updates with `marker`, POST /messages to a chat or a user, POST
 * /messages/{mid}/comments, GET /messages and GET /messages/{mid}/comments to read back,
 * POST /uploads with its upload host, GET /videos/{token} and GET /me. Errors come as MAX
 * sends them: the HTTP status and `{ code, message }`.
 */
export class MaxSandbox {
  private readonly updates: { seq: number; update: Json }[] = [];
  private nextSeq = 40156;
  private midCounter = 0;
  /** Users who wrote to the bot: only they can be written to. */
  private readonly started = new Set<number>();
  /** Every message and comment in a chat, for reading back. */
  private readonly messages: StoredMessage[] = [];
  /** The channel's posts that citizens comment (created as the stream needs them). */
  private readonly posts: string[] = [];
  private readonly uploads = new Map<string, { kind: RecordedAttachment['kind']; file: SandboxFile }>();
  /** Tokens of videos and files a send was refused for once: MAX processes them first (attachment.not.ready). */
  private readonly processed = new Set<string>();
  private poisonNext = false;
  private commentsOnPost = 0;

  constructor(private readonly state: SandboxState, private readonly baseUrl: () => string) {
    state.listeners.max.push((item) => this.push(item));
    state.unpoison.push(() => { this.poisonNext = false; });
  }

  /** MAX's mids: "mid." and 32 hex digits. */
  private mid(): string {
    this.midCounter += 1;
    return `mid.ffffbdb48e6c${this.midCounter.toString(16).padStart(20, '0')}`;
  }

  /** The post citizens comment: a new one after every ten comments, as a channel posts news. */
  private post(): string {
    this.commentsOnPost += 1;
    if (this.posts.length === 0 || this.commentsOnPost > 10) {
      this.commentsOnPost = 1;
      const mid = this.mid();
      this.posts.push(mid);
      // The channel's own post: MAX sends it as message_created in the channel; the connector skips it.
      this.queue('message_created', {
        message: { recipient: { chat_id: CHANNEL, chat_type: 'channel', user_id: null }, timestamp: this.state.nowMs(), body: { mid, seq: this.nextSeq, text: 'Новости администрации' }, url: `https://max.ru/c/${CHANNEL}/${mid}` },
      });
      this.messages.push({ chatId: CHANNEL, message: { recipient: { chat_id: CHANNEL, chat_type: 'channel' }, timestamp: this.state.nowMs(), body: { mid, seq: this.nextSeq, text: 'Новости администрации' } } });
    }
    return this.posts[this.posts.length - 1]!;
  }

  private queue(type: string, fields: Json): void {
    this.updates.push({ seq: this.nextSeq, update: { update_type: type, timestamp: this.state.nowMs(), ...fields } });
    this.nextSeq += 1;
  }

  private push(item: ScriptedItem): void {
    const userId = USER_BASE + item.authorIndex;
    const { first, last } = authorName(item.authorIndex);
    const sender = { user_id: userId, first_name: first, last_name: last, username: null, is_bot: false, last_activity_time: item.atSec * 1000, name: `${first} ${last}` };
    const attachments = this.state.switches.withPhotos ? [this.photo()] : undefined;
    const body = { mid: this.mid(), seq: this.nextSeq, text: item.line.text, ...(attachments === undefined ? {} : { attachments }) };
    const timestamp = Math.max(item.atSec * 1000, this.state.nowMs());
    if (item.shape === 'private') {
      this.started.add(userId);
      const message = { sender, recipient: { chat_id: DIALOG_BASE + userId, chat_type: 'dialog', user_id: BOT_ID }, timestamp, body };
      this.messages.push({ chatId: DIALOG_BASE + userId, message });
      this.queue('message_created', { message, user_locale: 'ru' });
    } else if (item.shape === 'mention') {
      const message = { sender, recipient: { chat_id: CITY, chat_type: 'chat', user_id: null }, timestamp, body, url: `https://max.ru/c/${CITY}/${body.mid}` };
      this.messages.push({ chatId: CITY, message });
      this.queue('message_created', { message });
    } else {
      const postMid = this.post();
      const message = { sender, recipient: { chat_id: CHANNEL, chat_type: 'channel', user_id: null, post_id: postMid }, timestamp, body: { ...body, attachments: undefined } };
      this.messages.push({ chatId: CHANNEL, postMid, message });
      this.queue('comment_created', { message });
    }
    if (this.state.takePoison('max')) this.poisonNext = true;
  }

  /** A citizen's photo, served by the sandbox as MAX's file hosts serve images. */
  private photo(): Json {
    const file = this.state.storeFile('photo.png', 'image/png', SANDBOX_PHOTO);
    return { type: 'image', payload: { photo_id: 8800000 + this.state.files.size, token: `sandbox-image-${file.id}`, url: `${this.baseUrl()}/_sandbox/files/${file.id}` } };
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    sendJson(res, status, { code, message });
  }

  /** Why a send to this chat or user is refused, by the switches and who wrote to the bot; null when it goes. */
  private refusal(to: { chatId?: number; userId?: number }): { status: number; code: string; message: string } | null {
    const { switches } = this.state;
    const privateTo = to.userId ?? (to.chatId !== undefined && to.chatId > 0 ? to.chatId - DIALOG_BASE : undefined);
    if (privateTo !== undefined) {
      if (switches.botBlocked) return { status: 403, code: 'chat.denied', message: 'The user has stopped the bot' };
      if (switches.privateClosed || !this.started.has(privateTo)) return { status: 403, code: 'chat.denied', message: 'Bot cannot write to the user first' };
    } else {
      if (switches.communityBlocked) return { status: 403, code: 'chat.denied', message: 'Bot is not a member of the chat' };
      if (switches.commentsClosed) return { status: 403, code: 'chat.denied', message: 'Bot has no permission to write in the chat' };
    }
    return null;
  }

  async handle(verb: string, path: string, query: URLSearchParams, authorization: string | undefined, body: string, files: readonly UploadedPart[], res: ServerResponse): Promise<void> {
    if (path.startsWith('/upload/')) return this.handleUpload(path.slice('/upload/'.length), query.get('id') ?? '', files, res);
    const method = `${verb} ${path.replace(/mid\.[\w-]+/g, '{messageId}').replace(/^\/videos\/[\w-]+$/, '/videos/{videoToken}')}`;
    const flood = this.state.countRequest('max', method);
    if (authorization !== TOKEN) return this.error(res, 401, 'verify.token', 'Invalid access_token');
    if (flood) return floodAnswer(this.state, 'max', method, res);
    const json = (): Json => { try { return JSON.parse(body || '{}') as Json; } catch { return {}; } };
    let match: RegExpExecArray | null;
    if (verb === 'GET' && path === '/me') return sendJson(res, 200, { ...BOT, description: 'Бот администрации (песочница)', commands: null });
    if (verb === 'GET' && path === '/updates') return this.getUpdates(query, res);
    if (verb === 'POST' && path === '/messages') return this.send(query, json(), res);
    if (verb === 'GET' && path === '/messages') {
      const chatId = Number(query.get('chat_id'));
      const count = Math.min(Number(query.get('count') ?? 50), 100);
      return sendJson(res, 200, { messages: this.messages.filter((m) => m.chatId === chatId && m.postMid === undefined).map((m) => m.message).reverse().slice(0, count) });
    }
    if ((match = /^\/messages\/(mid\.[\w-]+)\/comments$/.exec(path)) !== null) {
      const postMid = match[1]!;
      if (!this.posts.includes(postMid)) return this.error(res, 404, 'not.found', 'Message not found');
      if (verb === 'GET') {
        const count = Math.min(Number(query.get('count') ?? 50), 100);
        return sendJson(res, 200, { messages: this.messages.filter((m) => m.postMid === postMid).map((m) => m.message).reverse().slice(0, count) });
      }
      if (verb === 'POST') return this.comment(postMid, json(), res);
    }
    if (verb === 'POST' && path === '/uploads') {
      const type = query.get('type') ?? '';
      if (!['image', 'video', 'audio', 'file'].includes(type)) return this.error(res, 400, 'proto.payload', `Invalid upload type: ${type}`);
      const id = `u${this.uploads.size + 1}-${this.state.files.size}`;
      return sendJson(res, 200, { url: `${this.baseUrl()}/max/upload/${type}?id=${id}`, ...(type === 'video' || type === 'audio' ? { token: `sandbox-${type}-${id}` } : {}) });
    }
    if (verb === 'GET' && (match = /^\/videos\/([\w-]+)$/.exec(path)) !== null) {
      const video = this.uploads.get(match[1]!);
      if (video === undefined) return this.error(res, 404, 'not.found', 'Video not found');
      return sendJson(res, 200, { token: match[1], urls: { mp4_720: `${this.baseUrl()}/_sandbox/files/${video.file.id}` }, thumbnail: null, width: 1, height: 1, duration: 1 });
    }
    return this.error(res, 404, 'not.found', `Method ${verb} ${path} not found`);
  }

  /** Updates from `marker` on (those below it are committed and forgotten), waiting up to `timeout` when none is pending. */
  private async getUpdates(query: URLSearchParams, res: ServerResponse): Promise<void> {
    const marker = query.get('marker');
    if (marker !== null) for (let i = this.updates.length - 1; i >= 0; i -= 1) if (this.updates[i]!.seq < Number(marker)) this.updates.splice(i, 1);
    const types = (query.get('types') ?? '').split(',').filter(Boolean);
    const wanted = () => this.updates.filter((entry) => types.length === 0 || types.includes(String(entry.update.update_type)));
    // MAX's default wait is 30 s; the sandbox caps it as it does Telegram's.
    if (wanted().length === 0) await this.state.waitForItems('max', Math.min(Number(query.get('timeout') ?? 30), 25) * 1000);
    const limit = Math.min(Number(query.get('limit') ?? 100), 1000);
    const page = wanted().slice(0, limit);
    const last = page.at(-1);
    const next = last === undefined ? Number(marker ?? this.nextSeq) : last.seq + 1;
    const poisoned = this.poisonNext;
    this.poisonNext = false;
    return sendJson(res, 200, { updates: page.map((entry) => entry.update), marker: poisoned ? POISONED_MARKER : next });
  }

  private attachmentsOf(requests: unknown): { recorded: RecordedAttachment[]; notReady?: string; unknown?: string } {
    const recorded: RecordedAttachment[] = [];
    for (const request of Array.isArray(requests) ? requests as { type?: string; payload?: { token?: string; photos?: Record<string, { token?: string }> } }[] : []) {
      const tokens = request.type === 'image' ? Object.values(request.payload?.photos ?? {}).map((photo) => photo.token ?? '') : [request.payload?.token ?? ''];
      for (const token of tokens) {
        const upload = this.uploads.get(token);
        if (upload === undefined) return { recorded, unknown: token };
        // A video or file is processed before it can be attached: the first send with it is refused.
        if (upload.kind !== 'photo' && !this.processed.has(token)) {
          this.processed.add(token);
          return { recorded, notReady: token };
        }
        recorded.push(this.state.recordedAttachment(upload.kind, upload.file));
      }
    }
    return { recorded };
  }

  private send(query: URLSearchParams, body: Json, res: ServerResponse): void {
    const chatId = query.get('chat_id') === null ? undefined : Number(query.get('chat_id'));
    const userId = query.get('user_id') === null ? undefined : Number(query.get('user_id'));
    if (chatId === undefined && userId === undefined) return this.error(res, 400, 'proto.payload', 'Either chat_id or user_id is required');
    const refused = this.refusal({ ...(chatId === undefined ? {} : { chatId }), ...(userId === undefined ? {} : { userId }) });
    if (refused !== null) return this.error(res, refused.status, refused.code, refused.message);
    const text = typeof body.text === 'string' ? body.text : '';
    if (text.length > 4000) return this.error(res, 400, 'proto.payload', 'text: length must be at most 4000');
    const attachments = this.attachmentsOf(body.attachments);
    if (attachments.unknown !== undefined) return this.error(res, 400, 'proto.payload', `Unknown attachment token ${attachments.unknown}`);
    if (attachments.notReady !== undefined) return this.error(res, 400, 'attachment.not.ready', 'Key: errors.process.attachment.file.not.processed');
    if (text === '' && attachments.recorded.length === 0) return this.error(res, 400, 'proto.payload', 'Message text or attachments are required');
    const link = body.link as { type?: string; mid?: string } | undefined;
    const targetChat = chatId ?? DIALOG_BASE + userId!;
    const mid = this.mid();
    const message = {
      sender: BOT,
      recipient: { chat_id: targetChat, chat_type: targetChat > 0 ? 'dialog' : 'chat', user_id: userId ?? null },
      timestamp: this.state.nowMs(),
      body: { mid, seq: this.nextSeq, text: text === '' ? null : text },
      ...(link?.mid === undefined ? {} : { link: { type: link.type ?? 'reply', message: { mid: link.mid, seq: 0, text: null } } }),
    };
    this.messages.push({ chatId: targetChat, message });
    this.state.record({
      network: 'max', method: 'POST /messages', target: userId === undefined ? `chat:${chatId}` : `user:${userId}`, text, id: mid,
      ...(link?.mid === undefined ? {} : { replyTo: link.mid }),
      ...(attachments.recorded.length === 0 ? {} : { attachments: attachments.recorded }),
    });
    return sendJson(res, 200, { message });
  }

  private comment(postMid: string, body: Json, res: ServerResponse): void {
    const { switches } = this.state;
    if (switches.communityBlocked) return this.error(res, 403, 'chat.denied', 'Bot is not an administrator of the channel');
    if (switches.commentsClosed) return this.error(res, 403, 'chat.denied', 'Comments are disabled in the channel');
    const text = typeof body.text === 'string' ? body.text : '';
    if (text === '' || text.length > 4000) return this.error(res, 400, 'proto.payload', 'text: length must be 1…4000');
    const link = body.link as { type?: string; mid?: string } | undefined;
    const mid = this.mid();
    const message = {
      sender: BOT, recipient: { chat_id: CHANNEL, chat_type: 'channel', user_id: null, post_id: postMid }, timestamp: this.state.nowMs(),
      body: { mid, seq: this.nextSeq, text },
      ...(link?.mid === undefined ? {} : { link: { type: 'reply', message: { mid: link.mid, seq: 0, text: null } } }),
    };
    this.messages.push({ chatId: CHANNEL, postMid, message });
    this.state.record({ network: 'max', method: 'POST /messages/{messageId}/comments', target: `post:${postMid}`, text, id: mid, ...(link?.mid === undefined ? {} : { replyTo: link.mid }) });
    return sendJson(res, 200, { message });
  }

  /** The upload host: `data` as a multipart part; an image answers with its photo token, a file with its token, a video with <retval>1</retval>. */
  private handleUpload(type: string, id: string, files: readonly UploadedPart[], res: ServerResponse): void {
    this.state.countRequest('max', 'upload', false);
    const part = files.find((file) => file.field === 'data');
    if (part === undefined) return this.error(res, 400, 'upload.error', 'No data part in the request');
    const file = this.state.storeFile(part.fileName, part.contentType, part.data);
    const kind: RecordedAttachment['kind'] = type === 'image' ? 'photo' : type === 'video' ? 'video' : 'document';
    if (type === 'image') {
      const token = `sandbox-image-${file.id}`;
      this.uploads.set(token, { kind, file });
      return sendJson(res, 200, { photos: { [`88${file.id}`]: { token } } });
    }
    if (type === 'video' || type === 'audio') {
      this.uploads.set(`sandbox-${type}-${id}`, { kind, file });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<retval>1</retval>');
      return;
    }
    const token = `sandbox-file-${file.id}`;
    this.uploads.set(token, { kind, file });
    return sendJson(res, 200, { token });
  }
}
