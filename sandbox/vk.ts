import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorName, SANDBOX_CREDENTIALS, SANDBOX_PHOTO, type RecordedAttachment, type SandboxFile, type SandboxState, type ScriptedItem } from './state.js';
import { sendJson, type UploadedPart } from './http.js';

const { groupId: GROUP_ID, token: TOKEN, userToken: USER_TOKEN, postIds: POST_IDS } = SANDBOX_CREDENTIALS.vk;
const USER_BASE = 512340000;

/** The subset of VK the connector uses: methods with the real envelope, and a Bots Long Poll server. */
export class VkSandbox {
  private readonly events: unknown[] = [];
  private key = 'sandbox-lp-key-1';
  private commentId = 5800;
  private messageId = 900;
  private readonly conversation = new Map<number, number>();
  private readonly guids = new Map<string, number>();
  private readonly randomIds = new Map<string, number>();
  /** What the events carried, kept for the read-back methods (wall.getComments, messages.getConversations). */
  private readonly comments: Record<string, unknown>[] = [];
  private readonly lastMessages = new Map<number, Record<string, unknown>>();
  private photoSeq = 0;
  /** Saved photos and documents by their attachment name (photo-218475963_1), with their files. */
  private readonly media = new Map<string, { kind: 'photo' | 'document'; file: SandboxFile }>();
  private mediaSeq = 0;

  constructor(private readonly state: SandboxState, private readonly baseUrl: () => string) {
    state.listeners.vk.push((item) => this.events.push(this.event(item)));
  }

  /** A photo attachment of a citizen's message, served by the sandbox. */
  private photo(ownerId: number, atSec: number): unknown[] {
    if (!this.state.switches.withPhotos) return [];
    const file = this.state.storeFile('photo.png', 'image/png', SANDBOX_PHOTO);
    this.photoSeq += 1;
    return [{ type: 'photo', photo: { id: 457240000 + this.photoSeq, album_id: -5, owner_id: ownerId, date: atSec, has_tags: false, sizes: [{ type: 'x', url: `${this.baseUrl()}/_sandbox/files/${file.id}`, width: 1, height: 1 }] } }];
  }

  private event(item: ScriptedItem): unknown {
    const fromId = item.anonymous ? 0 : USER_BASE + item.authorIndex;
    const base = { group_id: GROUP_ID, event_id: `sandbox-${item.seq.toString(16).padStart(8, '0')}`, v: '5.199' };
    if (item.shape === 'private' && fromId !== 0) {
      this.messageId += 1;
      const cmid = (this.conversation.get(fromId) ?? 0) + 1;
      this.conversation.set(fromId, cmid);
      const message = { date: item.atSec, from_id: fromId, id: this.messageId, out: 0, version: 10000 + this.messageId, attachments: this.photo(fromId, item.atSec), conversation_message_id: cmid, fwd_messages: [], important: false, is_hidden: false, peer_id: fromId, random_id: 0, text: item.line.text };
      this.lastMessages.set(fromId, message);
      return { ...base, type: 'message_new', object: { message, client_info: { button_actions: ['text'], keyboard: true, inline_keyboard: true, carousel: true, lang_id: 0 } } };
    }
    this.commentId += 1;
    const photo = this.photo(fromId, item.atSec);
    const comment = { id: this.commentId, from_id: fromId, post_id: POST_IDS[item.seq % POST_IDS.length]!, owner_id: -GROUP_ID, parents_stack: [], date: item.atSec, text: item.line.text, thread: { count: 0 }, ...(photo.length === 0 ? {} : { attachments: photo }) };
    this.comments.push(comment);
    return { ...base, type: 'wall_reply_new', object: comment };
  }

  private error(res: ServerResponse, method: string, code: number, message: string): void {
    sendJson(res, 200, { error: { error_code: code, error_msg: message, request_params: [{ key: 'method', value: method }, { key: 'oauth', value: '1' }, { key: 'v', value: '5.199' }] } });
  }

  /** The upload server: one file part (`photo` or `file`), answered the way VK's upload hosts do. */
  handleUpload(kind: 'photo' | 'doc', files: readonly UploadedPart[], res: ServerResponse): void {
    const part = files.find((file) => file.field === (kind === 'photo' ? 'photo' : 'file'));
    if (part === undefined) return sendJson(res, 200, { error: 'ERR_UPLOAD_FILE_NOT_UPLOADED: file not uploaded' });
    const file = this.state.storeFile(part.fileName, part.contentType, part.data);
    if (kind === 'doc') return sendJson(res, 200, { file: `sandbox|${file.id}|${part.fileName}` });
    return sendJson(res, 200, { server: 840129, photo: JSON.stringify([{ photo: file.id, sizes: [], kid: 'sandbox' }]), hash: `h${file.id}` });
  }

  private saved(kind: 'photo' | 'document', fileId: string | undefined): { name: string; id: number } | null {
    const file = fileId === undefined ? undefined : this.state.files.get(fileId);
    if (file === undefined) return null;
    this.mediaSeq += 1;
    const id = 457250000 + this.mediaSeq;
    const name = `${kind === 'photo' ? 'photo' : 'doc'}-${GROUP_ID}_${id}`;
    this.media.set(name, { kind, file });
    return { name, id };
  }

  /** The files named by `attachments` / `attachment` ("photo-1_2,doc-1_3_key"), for the record. */
  private attachmentsOf(list: string | undefined): RecordedAttachment[] {
    return (list ?? '').split(',').filter(Boolean).flatMap((name) => {
      const kept = this.media.get(name.split('_').slice(0, 2).join('_'));
      return kept === undefined ? [] : [this.state.recordedAttachment(kept.kind, kept.file)];
    });
  }

  async handleMethod(method: string, params: Record<string, string>, res: ServerResponse): Promise<void> {
    const flood = this.state.countRequest('vk', method);
    const userMethod = method === 'photos.getWallUploadServer' || method === 'photos.saveWallPhoto';
    if (userMethod && params.access_token === TOKEN) return this.error(res, method, 27, 'Group authorization failed: method is unavailable with group auth.');
    if (params.access_token !== (userMethod ? USER_TOKEN : TOKEN)) return this.error(res, method, 5, 'User authorization failed: invalid access_token (4).');
    if (flood) return this.error(res, method, 6, 'Too many requests per second');
    const { switches } = this.state;
    switch (method) {
      case 'groups.getLongPollServer':
        return sendJson(res, 200, { response: { key: this.key, server: `${this.baseUrl()}/vk/lp/${GROUP_ID}`, ts: String(this.events.length + 1) } });
      case 'users.get': {
        const ids = (params.user_ids ?? '').split(',').filter(Boolean).map(Number);
        return sendJson(res, 200, { response: ids.map((id) => ({ id, ...nameOf(id), can_access_closed: true, is_closed: false })) });
      }
      case 'groups.getById':
        return sendJson(res, 200, { response: { groups: (params.group_ids ?? '').split(',').filter(Boolean).map((id) => ({ id: Number(id), name: 'Сообщество', screen_name: `club${id}`, is_closed: 0, type: 'group' })), profiles: [] } });
      case 'wall.get':
        return sendJson(res, 200, {
          response: {
            count: POST_IDS.length,
            items: [...POST_IDS].reverse().map((id) => ({
              inner_type: 'wall_wallpost', id, owner_id: -GROUP_ID, from_id: -GROUP_ID, date: this.state.nowSec() - 86_400, post_type: 'post', text: 'Новости администрации',
              comments: { count: this.comments.filter((comment) => comment.post_id === id).length, can_post: 1, groups_can_post: true },
            })),
          },
        });
      case 'wall.getComments': {
        const ofPost = this.comments.filter((comment) => comment.post_id === Number(params.post_id));
        const ordered = params.sort === 'desc' ? [...ofPost].reverse() : ofPost;
        return sendJson(res, 200, { response: { count: ofPost.length, current_level_count: ofPost.length, can_post: true, items: ordered.slice(0, Number(params.count ?? 10)) } });
      }
      case 'messages.getConversations': {
        // Conversations whose last word is the citizen's: the community has not answered.
        const unanswered = [...this.lastMessages.values()].filter((message) => message.out === 0);
        return sendJson(res, 200, {
          response: {
            count: unanswered.length,
            items: unanswered.slice(0, Number(params.count ?? 20)).map((message) => ({
              conversation: { peer: { id: message.peer_id, type: 'user', local_id: message.peer_id }, last_message_id: message.id, last_conversation_message_id: message.conversation_message_id, in_read: message.id, out_read: 0, version: message.version, unanswered: true },
              last_message: message,
            })),
          },
        });
      }
      case 'photos.getWallUploadServer':
        return sendJson(res, 200, { response: { album_id: -14, upload_url: `${this.baseUrl()}/vk/upload/photo`, user_id: 512340001 } });
      case 'photos.getMessagesUploadServer':
        return sendJson(res, 200, { response: { album_id: -3, upload_url: `${this.baseUrl()}/vk/upload/photo`, user_id: 0, group_id: GROUP_ID } });
      case 'docs.getWallUploadServer':
      case 'docs.getMessagesUploadServer':
        return sendJson(res, 200, { response: { upload_url: `${this.baseUrl()}/vk/upload/doc` } });
      case 'photos.saveWallPhoto':
      case 'photos.saveMessagesPhoto': {
        const uploaded = (() => { try { return JSON.parse(params.photo ?? '[]') as { photo?: string }[]; } catch { return []; } })();
        const saved = this.saved('photo', uploaded[0]?.photo);
        if (saved === null || params.hash !== `h${uploaded[0]?.photo}`) return this.error(res, method, 100, 'One of the parameters specified was missing or invalid: photo is undefined');
        return sendJson(res, 200, { response: [{ album_id: method === 'photos.saveWallPhoto' ? -14 : -3, date: this.state.nowSec(), id: saved.id, owner_id: -GROUP_ID, has_tags: false, access_key: 'a1b2c3d4e5', sizes: [], text: '' }] });
      }
      case 'docs.save': {
        const [, fileId, title] = (params.file ?? '').split('|');
        const saved = this.saved('document', fileId);
        if (saved === null) return this.error(res, method, 100, 'One of the parameters specified was missing or invalid: file is undefined');
        const file = this.state.files.get(fileId!)!;
        return sendJson(res, 200, { response: { type: 'doc', doc: { id: saved.id, owner_id: -GROUP_ID, title: params.title ?? title ?? 'file', size: file.data.length, ext: (title ?? '').split('.').pop() ?? '', date: this.state.nowSec(), type: file.contentType.startsWith('image/') ? 4 : file.contentType.startsWith('video/') ? 6 : 8, url: `${this.baseUrl()}/_sandbox/files/${file.id}`, access_key: 'f6e5d4c3b2' } } });
      }
      case 'newsfeed.search':
        return sendJson(res, 200, { response: { items: [], count: 0, total_count: 0 } });
      case 'wall.createComment': {
        if (switches.communityBlocked) return this.error(res, method, 203, 'Access to group denied: access to the group is denied.');
        if (switches.commentsClosed) return this.error(res, method, 213, 'Access to status replies denied');
        // VK drops a repeat with the same guid and answers with the first comment.
        const guid = params.guid;
        const earlier = guid === undefined ? undefined : this.guids.get(guid);
        if (earlier !== undefined) return sendJson(res, 200, { response: { comment_id: earlier, parents_stack: [] } });
        this.commentId += 1;
        if (guid !== undefined) this.guids.set(guid, this.commentId);
        const attachments = this.attachmentsOf(params.attachments);
        this.state.record({ network: 'vk', method, target: `wall${params.owner_id}_${params.post_id}`, text: params.message ?? '', id: String(this.commentId), ...(params.reply_to_comment === undefined ? {} : { replyTo: params.reply_to_comment }), ...(attachments.length === 0 ? {} : { attachments }) });
        return sendJson(res, 200, { response: { comment_id: this.commentId, parents_stack: params.reply_to_comment === undefined ? [] : [Number(params.reply_to_comment)] } });
      }
      case 'messages.send': {
        const peer = params.peer_id ?? params.user_id ?? '';
        if (switches.communityBlocked) return this.error(res, method, 203, 'Access to group denied: access to the group is denied.');
        if (switches.botBlocked) return this.error(res, method, 901, "Can't send messages for users without permission");
        // Writing first (by user_id) is what closed private messages forbid; an answer in an existing conversation goes through.
        const ownConversation = params.peer_id !== undefined && this.conversation.has(Number(params.peer_id));
        if (switches.privateClosed && !ownConversation) return this.error(res, method, 902, "Can't send messages to this user due to their privacy settings");
        if (!ownConversation && !this.conversation.has(Number(peer))) return this.error(res, method, 901, "Can't send messages for users without permission");
        const key = `${peer}:${params.random_id ?? ''}`;
        const earlier = this.randomIds.get(key);
        if (earlier !== undefined) return sendJson(res, 200, { response: earlier });
        this.messageId += 1;
        this.randomIds.set(key, this.messageId);
        const last = this.lastMessages.get(Number(peer));
        if (last !== undefined) this.lastMessages.set(Number(peer), { ...last, out: 1 });
        const attachments = this.attachmentsOf(params.attachment);
        this.state.record({ network: 'vk', method, target: `user:${peer}`, text: params.message ?? '', id: String(this.messageId), ...(params.reply_to === undefined ? {} : { replyTo: params.reply_to }), ...(attachments.length === 0 ? {} : { attachments }) });
        return sendJson(res, 200, { response: this.messageId });
      }
      default:
        return this.error(res, method, 3, 'Unknown method passed');
    }
  }

  async handleLongPoll(url: URL, _req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.state.countRequest('vk', 'longpoll.a_check', false);
    if (url.searchParams.get('key') !== this.key) return sendJson(res, 200, { failed: 2 });
    if (this.state.switches.longPollHistoryLost) {
      this.state.switches = { ...this.state.switches, longPollHistoryLost: false };
      return sendJson(res, 200, { failed: 1, ts: this.events.length + 1 });
    }
    const ts = Number(url.searchParams.get('ts'));
    if (!Number.isInteger(ts) || ts < 1) return sendJson(res, 200, { failed: 1, ts: this.events.length + 1 });
    if (ts > this.events.length) await this.state.waitForItems('vk', Math.min(Number(url.searchParams.get('wait') ?? 0), 25) * 1000);
    const updates = this.events.slice(ts - 1, ts - 1 + 100);
    // A poisoned answer: the events are real, the ts is not.
    if (this.state.takePoison('vk')) return sendJson(res, 200, { ts: '9007199254740993', updates });
    return sendJson(res, 200, { ts: String(ts + updates.length), updates });
  }
}

function nameOf(id: number): { first_name: string; last_name: string } {
  const { first, last } = authorName(id - USER_BASE);
  return { first_name: first, last_name: last };
}
