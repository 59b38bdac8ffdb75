import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { authorName, SANDBOX_CREDENTIALS, SANDBOX_PHOTO, type RecordedAttachment, type SandboxFile, type SandboxState, type ScriptedItem } from './state.js';
import { floodAnswer } from './hostile.js';
import { moscowDate, sendJson, type UploadedPart } from './http.js';

const { applicationKey: APP_KEY, applicationSecretKey: APP_SECRET, accessToken: TOKEN, groupId: GROUP, topicIds: TOPICS } = SANDBOX_CREDENTIALS.ok;
const USER_BASE = 571203948800;
/** 2999-01-01: the date of a poisoned comment (`poisonedIds`). */
const POISONED_MS = Date.UTC(2999, 0, 1);
const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

interface OkComment { id: string; date: string; author_id: string; author_name: string; text: string; reply_to_comment_id?: string; ms: number }
interface OkMessage { sender: { name: string; user_id: string }; recipient: { chat_id: string }; message: { text: string; seq: number; mid: string; attachments?: { type: string; payload: { url: string } }[] }; timestamp: number }

/** The subset of OK the connector uses: signed fb.do methods and the group Bot API. */
export class OkSandbox {
  private readonly topics = new Map<string, OkComment[]>(TOPICS.map((id) => [id, []]));
  private readonly chats = new Map<string, { userId: string; messages: OkMessage[] }>();
  private commentSeq = 0;
  private messageSeq = 0;
  private lastMs = 0;

  /** Uploaded photos by the token the upload answered with. */
  private readonly photoTokens = new Map<string, SandboxFile>();

  constructor(private readonly state: SandboxState, private readonly baseUrl: () => string) {
    state.listeners.ok.push((item) => this.push(item));
  }

  /** The upload URL of photosV2.getUploadUrl: parts pic1…picN, answered with a token per photo. */
  handleUpload(files: readonly UploadedPart[], res: ServerResponse): void {
    if (files.length === 0) return sendJson(res, 200, { error_code: 100, error_msg: 'PARAM : No photos in the request', error_data: null });
    const photos: Record<string, { token: string }> = {};
    for (const part of files) {
      const file = this.state.storeFile(part.fileName, part.contentType, part.data);
      const token = `sandboxtoken${file.id}`;
      this.photoTokens.set(token, file);
      photos[`9${file.id}`] = { token };
    }
    return sendJson(res, 200, { photos });
  }

  /** The photos a comment's `attachments` JSON names by token, for the record. */
  private attachmentsOf(json: string | undefined): RecordedAttachment[] {
    if (json === undefined) return [];
    const parsed = (() => { try { return JSON.parse(json) as { media?: { type?: string; list?: { id?: string }[] }[] }; } catch { return {}; } })();
    return (parsed.media ?? []).flatMap((item) => (item.type === 'photo' ? item.list ?? [] : []))
      .flatMap((photo) => { const file = this.photoTokens.get(photo.id ?? ''); return file === undefined ? [] : [this.state.recordedAttachment('photo', file)]; });
  }

  private push(item: ScriptedItem): void {
    const userId = String(USER_BASE + item.authorIndex);
    const { first, last } = authorName(item.authorIndex);
    // Real OK stamps messages in milliseconds; distinct, rising stamps keep paging by time exact.
    const ms = Math.max(this.lastMs + 1, this.state.nowMs());
    this.lastMs = ms;
    if (item.shape === 'private') {
      const chatId = `chat:Csandbox${userId}`;
      const chat = this.chats.get(chatId) ?? { userId, messages: [] };
      const message = this.chatMessage(`user:${userId}`, `${first} ${last}`, chatId, item.line.text, ms);
      if (this.state.switches.withPhotos) {
        const file = this.state.storeFile('photo.png', 'image/png', SANDBOX_PHOTO);
        message.message.attachments = [{ type: 'IMAGE', payload: { url: `${this.baseUrl()}/_sandbox/files/${file.id}` } }];
      }
      chat.messages.push(message);
      this.chats.set(chatId, chat);
      return;
    }
    const topic = TOPICS[item.seq % TOPICS.length]!;
    this.commentSeq += 1;
    this.topics.get(topic)!.push({ id: Buffer.from(`sandbox:${this.commentSeq}`).toString('base64'), date: moscowDate(ms), author_id: userId, author_name: `${first} ${last}`, text: item.line.text, ms });
    // A poisoned comment: dated 2999, which also makes the topic's activity date 2999 until the next one.
    if (this.state.takePoison('ok')) {
      this.commentSeq += 1;
      this.topics.get(topic)!.push({ id: Buffer.from(`sandbox:${this.commentSeq}`).toString('base64'), date: moscowDate(POISONED_MS), author_id: userId, author_name: `${first} ${last}`, text: item.line.text, ms: POISONED_MS });
    }
  }

  private chatMessage(sender: string, name: string, chatId: string, text: string, ms: number): OkMessage {
    this.messageSeq += 1;
    return { sender: { name, user_id: sender }, recipient: { chat_id: chatId }, message: { text, seq: this.messageSeq, mid: `mid:${chatId.slice(5)}.${this.messageSeq.toString(16)}` }, timestamp: ms };
  }

  private error(res: ServerResponse, code: number, message: string): void {
    sendJson(res, 200, { error_code: code, error_msg: message, error_data: null });
  }

  async handleRest(params: Record<string, string>, res: ServerResponse): Promise<void> {
    const method = params.method ?? '';
    const flood = this.state.countRequest('ok', method);
    if (params.application_key !== APP_KEY) return this.error(res, 101, 'PARAM_API_KEY : Application key is invalid');
    if (params.access_token !== TOKEN) return this.error(res, 102, 'PARAM_SESSION_EXPIRED : Session expired');
    const base = Object.keys(params).filter((name) => name !== 'sig' && name !== 'access_token').sort().map((name) => `${name}=${params[name]}`).join('');
    if (params.sig !== md5(base + md5(TOKEN + APP_SECRET))) return this.error(res, 104, 'PARAM_SIGNATURE : Invalid signature');
    if (flood) return floodAnswer(this.state, 'ok', method, res);
    switch (method) {
      case 'photosV2.getUploadUrl': {
        if (params.gid !== GROUP) return this.error(res, 300, 'NOT_FOUND : Group not found');
        const count = Math.max(1, Math.min(Number(params.count ?? 1), 20));
        return sendJson(res, 200, { upload_url: `${this.baseUrl()}/ok/upload?gid=${GROUP}`, photo_ids: Array.from({ length: count }, (_, i) => `sandboxphoto${this.commentSeq}_${i}`), expires_ms: this.state.nowMs() + 86_400_000 });
      }
      case 'discussions.getList':
        return sendJson(res, 200, {
          discussions: [...this.topics].map(([id, comments]) => ({
            object_type: 'GROUP_TOPIC', object_id: id, title: 'Новости администрации',
            last_activity_date: moscowDate(comments.at(-1)?.ms ?? 0), new_comments_count: comments.length, total_comments_count: comments.length,
          })),
          has_more: false,
        });
      case 'discussions.getComments': {
        const comments = this.topics.get(params.discussionId ?? '');
        if (comments === undefined) return this.error(res, 300, 'NOT_FOUND : Discussion not found');
        const count = Math.min(Number(params.count ?? 20), 100);
        const anchor = params.anchor ?? 'FIRST';
        if (params.direction === 'BACKWARD') {
          const page = comments.slice(-count);
          return sendJson(res, 200, { comments: page.map(publicComment), anchor: page[0]?.id ?? anchor, has_more: comments.length > count });
        }
        const start = anchor === 'FIRST' ? 0 : comments.findIndex((comment) => comment.id === anchor) + 1;
        const page = comments.slice(start, start + count);
        return sendJson(res, 200, { comments: page.map(publicComment), anchor: page.at(-1)?.id ?? anchor, has_more: start + count < comments.length });
      }
      case 'discussions.addDiscussionComment': {
        const comments = this.topics.get(params.entityId ?? '');
        if (comments === undefined) return this.error(res, 300, 'NOT_FOUND : Discussion not found');
        if (this.state.switches.communityBlocked || this.state.switches.commentsClosed) return this.error(res, 456, 'GROUP_RESTRICTION : Action is restricted to group members');
        this.commentSeq += 1;
        const ms = Math.max(this.lastMs + 1, this.state.nowMs());
        this.lastMs = ms;
        const comment: OkComment = { id: Buffer.from(`sandbox:${this.commentSeq}`).toString('base64'), date: moscowDate(ms), author_id: GROUP, author_name: 'Администрация', text: params.comment ?? '', ms, ...(params.reply_to_comment_id === undefined ? {} : { reply_to_comment_id: params.reply_to_comment_id }) };
        comments.push(comment);
        const attachments = this.attachmentsOf(params.attachments);
        this.state.record({ network: 'ok', method: 'discussions.addDiscussionComment', target: `topic:${params.entityId}`, text: comment.text, id: comment.id, ...(comment.reply_to_comment_id === undefined ? {} : { replyTo: comment.reply_to_comment_id }), ...(attachments.length === 0 ? {} : { attachments }) });
        return sendJson(res, 200, comment.id);
      }
      default:
        return this.error(res, 3, 'METHOD : Method does not exist');
    }
  }

  async handleGraph(verb: string, path: string, params: Record<string, string>, body: string, res: ServerResponse): Promise<void> {
    const flood = this.state.countRequest('ok', `graph ${verb} ${path.replace(/chat:[^/]+/, 'chat:ID')}`);
    if (params.access_token !== TOKEN) return this.error(res, 102, 'PARAM_SESSION_EXPIRED : Session expired');
    if (flood) return floodAnswer(this.state, 'ok', path, res);
    if (verb === 'GET' && path === '/graph/me/chats') {
      return sendJson(res, 200, {
        chats: [...this.chats].map(([chatId, chat]) => ({
          type: 'DIALOG', status: 'ACTIVE', title: chat.messages[0]?.sender.name ?? 'Диалог',
          participants: { [`user:${chat.userId}`]: chat.messages.at(-1)?.timestamp ?? 0, [`group:${GROUP}`]: 0 },
          lastEventTime: chat.messages.at(-1)?.timestamp ?? 0, chat_id: chatId, owner_id: `user:${chat.userId}`, group_id: `group:${GROUP}`,
        })),
      });
    }
    const chatPath = /^\/graph\/me\/messages\/(chat:[^/]+)$/.exec(path);
    if (verb === 'GET' && chatPath !== null) {
      const chat = this.chats.get(chatPath[1]!);
      if (chat === undefined) return this.error(res, 300, 'NOT_FOUND : Chat not found');
      const toMs = Number(params.to ?? 0);
      const fromMs = params.from === undefined ? Number.POSITIVE_INFINITY : Number(params.from);
      const newestFirst = [...chat.messages].reverse().filter((message) => message.timestamp >= toMs && message.timestamp <= fromMs);
      return sendJson(res, 200, { messages: newestFirst.slice(0, Math.min(Number(params.count ?? 50), 100)) });
    }
    if (verb === 'POST' && (chatPath !== null || path === '/graph/me/messages')) {
      const request = JSON.parse(body === '' ? '{}' : body) as { recipient?: { chat_id?: string; user_id?: string }; message?: { text?: string } };
      const text = request.message?.text ?? '';
      if (chatPath !== null) {
        const chat = this.chats.get(chatPath[1]!);
        if (chat === undefined) return this.error(res, 300, 'NOT_FOUND : Chat not found');
        if (this.state.switches.botBlocked) return this.error(res, 458, "PRIVACY_RESTRICTION : Action is restricted by the user's privacy settings");
        const message = this.chatMessage(`group:${GROUP}`, 'Администрация', chatPath[1]!, text, (this.lastMs = Math.max(this.lastMs + 1, this.state.nowMs())));
        chat.messages.push(message);
        this.state.record({ network: 'ok', method: 'graph/me/messages', target: chatPath[1]!, text, id: message.message.mid });
        return sendJson(res, 200, { success: true, message_id: message.message.mid });
      }
      // To a user by id: only after the user allowed the group to write, i.e. wrote to it.
      const userId = (request.recipient?.user_id ?? '').replace(/^user:/, '');
      const chatId = `chat:Csandbox${userId}`;
      const chat = this.chats.get(chatId);
      if (chat === undefined || this.state.switches.privateClosed || this.state.switches.botBlocked) return sendJson(res, 200, { success: [false], chat_ids: [null] });
      const message = this.chatMessage(`group:${GROUP}`, 'Администрация', chatId, text, (this.lastMs = Math.max(this.lastMs + 1, this.state.nowMs())));
      chat.messages.push(message);
      this.state.record({ network: 'ok', method: 'graph/me/messages', target: `user:${userId}`, text, id: message.message.mid });
      return sendJson(res, 200, { success: [true], chat_ids: [chatId] });
    }
    return this.error(res, 3, 'METHOD : Method does not exist');
  }
}

function publicComment(comment: OkComment): Omit<OkComment, 'ms'> {
  const { ms: _ms, ...rest } = comment;
  return rest;
}
