/**
 * The project's own shape of one item from a network, produced once at the connector
 * edge from the API's payload (STYLE 11) and stored by store/messages.ts.
 */
export type Network = 'vk' | 'ok' | 'telegram' | 'max';
export const NETWORKS: readonly Network[] = ['vk', 'ok', 'telegram', 'max'];
/** The networks' names as staff, the head's report and the workplace show them. */
export const NETWORK_LABELS: Readonly<Record<string, string>> = { vk: 'ВКонтакте', ok: 'Одноклассники', telegram: 'Telegram', max: 'MAX' } satisfies Record<Network, string>;

export type MessageKind = 'comment' | 'private' | 'mention';

/**
 * Where the message stands, with every id needed to reply in the same place
 * (004 [3.4]: answers to comments are public, answers to private messages private).
 * Ids are strings: VK owner ids are negative numbers, Telegram chat ids exceed 2^53 in
 * some groups, OK ids are long decimal strings.
 */
export interface MessagePlace {
  /** VK: owner_id of the wall; OK: group id; Telegram and MAX: chat id. */
  readonly containerId: string;
  /** VK post id / OK topic (discussion) id / MAX channel post (mid); absent for private messages. */
  readonly postId?: string;
  /** The message's own id inside the container (comment id, message id). */
  readonly itemId: string;
  /** VK: the thread's root comment when this is a reply; Telegram: message_thread_id. */
  readonly threadId?: string;
  /** OK discussions: the discussion type (GROUP_TOPIC, …) needed to comment back. */
  readonly discussionType?: string;
  /**
   * The item this one replies to, when its author used "reply": Telegram
   * `reply_to_message.message_id`, VK `reply_to_comment` (comments) or `reply_message.id`
   * (private messages), OK `reply_to_comment_id`. When a citizen answers a clarification
   * request (001 [17]) this way, it equals the `externalId` the publisher got for the request.
   */
  readonly replyToId?: string;
  /**
   * Who wrote the item replied to, where the network says: Telegram the user's or bot's id
   * (or the chat's, for a channel post), VK `reply_to_user` / `reply_message.from_id`
   * (negative: a community, e.g. ours). OK does not say.
   */
  readonly replyToAuthorId?: string;
  /** A link a curator can open, when the network has one. */
  readonly url?: string;
}

/*
 * Matching an author's reply to a clarification request (001 [17]) that waits for it —
 * what the normalized message carries for it, by where the request was published:
 *
 * - In the same thread (a comment answered publicly): same `network`, `place.containerId`
 *   and `place.postId`, and `author.id` of the original message; the reply is certain when
 *   `place.replyToId` is the request's published `externalId`, likely when `place.threadId`
 *   is the original comment's thread (VK: the root comment id; Telegram:
 *   `message_thread_id`; OK: the comment replied to) and the author is the same.
 * - In private (a private message, or the private fallback): `kind: 'private'` and the
 *   same `author.id` (VK and Telegram: also `place.containerId`, the dialog, equals the
 *   user's id; OK: the dialog is `chat:…`, the author `user` id without its prefix);
 *   `place.replyToId` is set when the author used "reply" on the request.
 *
 * A reply never needs its own text to be matched; anonymous authors (`author.anonymous`)
 * cannot be asked anything and are not matched.
 */

/** Only what is needed to answer and to recognise a repeat (004 [1.4]). */
export interface MessageAuthor {
  readonly id: string;
  readonly name: string;
  readonly profileUrl?: string;
  /** True when the network hides who wrote it (anonymous post, channel signature). */
  readonly anonymous: boolean;
}

export interface MessageAttachment {
  readonly type: 'photo' | 'video' | 'document' | 'link' | 'audio' | 'other';
  readonly url: string;
}

export interface NormalizedMessage {
  readonly network: Network;
  /** Unique within the network and tenant; the ingest's idempotency key. */
  readonly externalId: string;
  readonly kind: MessageKind;
  readonly place: MessagePlace;
  readonly author: MessageAuthor;
  readonly text: string;
  readonly attachments: readonly MessageAttachment[];
  readonly createdAt: Date;
  /** The tenant's keywords this message matched (mentions are found by them). */
  readonly matchedKeywords: readonly string[];
  /** The API's payload as received, for the record and for re-normalization. */
  readonly raw: unknown;
}
