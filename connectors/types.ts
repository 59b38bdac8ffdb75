/**
 * The project's own shape of one item from a network, produced once at the connector
 * edge from the API's payload (STYLE 11) and stored by store/messages.ts.
 */
export type Network = 'vk' | 'ok' | 'telegram';
export const NETWORKS: readonly Network[] = ['vk', 'ok', 'telegram'];

export type MessageKind = 'comment' | 'private' | 'mention';

/**
 * Where the message stands, with every id needed to reply in the same place
 * (004 [3.4]: answers to comments are public, answers to private messages private).
 * Ids are strings: VK owner ids are negative numbers, Telegram chat ids exceed 2^53 in
 * some groups, OK ids are long decimal strings.
 */
export interface MessagePlace {
  /** VK: owner_id of the wall; OK: group id; Telegram: chat id. */
  readonly containerId: string;
  /** VK post id / OK topic (discussion) id; absent for private messages. */
  readonly postId?: string;
  /** The message's own id inside the container (comment id, message id). */
  readonly itemId: string;
  /** VK: the thread's root comment when this is a reply; Telegram: message_thread_id. */
  readonly threadId?: string;
  /** OK discussions: the discussion type (GROUP_TOPIC, …) needed to comment back. */
  readonly discussionType?: string;
  /** A link a curator can open, when the network has one. */
  readonly url?: string;
}

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
