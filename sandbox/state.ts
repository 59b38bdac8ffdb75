import { AUTHORS, SCRIPT, seededRandom, type ScriptCategory, type ScriptLine } from './script.js';

export type SandboxNetwork = 'vk' | 'telegram' | 'ok' | 'max';
export const SANDBOX_NETWORKS: readonly SandboxNetwork[] = ['vk', 'telegram', 'ok', 'max'];

/** What the sandbox can be told to do wrong, as the real networks do. */
export interface SandboxSwitches {
  /** New messages come from anonymous authors (Telegram: a channel or anonymous admin; VK: a deleted page). */
  anonymousAuthor: boolean;
  /** Private messages to citizens are refused (VK 902, Telegram 403 "can't initiate", OK success:false, MAX 403 chat.denied). */
  privateClosed: boolean;
  /** Public replies are refused (VK 213, Telegram 400 no rights, OK 456, MAX 403 chat.denied). */
  commentsClosed: boolean;
  /** The community or bot is blocked where it comments (VK 203, Telegram 403 kicked, OK 456, MAX 403 chat.denied). */
  communityBlocked: boolean;
  /** The user blocked the community or bot (VK 901, Telegram 403 blocked, OK success:false, MAX 403 chat.denied). */
  botBlocked: boolean;
  /** The next VK Long Poll check answers `failed: 1` (events lost), once. */
  longPollHistoryLost: boolean;
  /** From the first request after the switches change, every Nth answers with the network's flood error; 0 is off. */
  floodEvery: number;
  /** New citizens' messages carry a photo (Telegram photo, VK photo attachment, OK chat IMAGE, MAX image). */
  withPhotos: boolean;

  // Hostile switches, for the chaos run. Each is off by default.

  /**
   * Once per network after it is turned on: the next Telegram update has update_id
   * 2^53 − 1, the next VK Long Poll answer a ts of 2^53 + 1, the next OK comment a date in
   * 2999, the next MAX updates answer a marker of 2^53 + 2. Turning it off removes the
   * Telegram update the sandbox would otherwise keep offering.
   */
  poisonedIds: boolean;
  /**
   * The wait the flood answers carry (with `floodEvery` or `failureRate`): Telegram
   * `parameters.retry_after` and "retry after N"; OK an HTTP 429 with `Retry-After: N`
   * instead of error 8; MAX its 429 too.many.requests with `Retry-After: N`. 'missing':
   * Telegram's 429 without any number. VK gives none.
   */
  retryAfterSec: number | 'missing' | null;
  /** The first API request of a network after a change, and every Nth after it, is answered with `hugeBodyBytes` of JSON whitespace; 0 is off. */
  hugeBodyEvery: number;
  hugeBodyBytes: number;
  /** The first API request of a network after a change, and every Nth after it, gets its real answer `trickleBytesPerSec` bytes a second; 0 is off. */
  trickleEvery: number;
  trickleBytesPerSec: number;
  /** The share (0…1) of API requests answered with a 429 (network-shaped) or a 5xx page, at random (seeded). */
  failureRate: number;
}

export const DEFAULT_SWITCHES: SandboxSwitches = {
  anonymousAuthor: false, privateClosed: false, commentsClosed: false, communityBlocked: false, botBlocked: false, longPollHistoryLost: false, floodEvery: 0,
  withPhotos: false,
  poisonedIds: false, retryAfterSec: null, hugeBodyEvery: 0, hugeBodyBytes: 64 * 1024 * 1024, trickleEvery: 0, trickleBytesPerSec: 1, failureRate: 0,
};

/** What the hostile switches do to one request, decided before its network handles it. */
export type HostileAnswer = 'huge' | 'trickle' | 'rate-limit' | 'server-error' | null;

/** A file the sandbox received (an upload) or serves (an incoming photo): GET /_sandbox/files/<id>. */
export interface SandboxFile {
  readonly id: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** An attachment of a recorded post, as a person checks it: kind, name, size, and where to see it. */
export interface RecordedAttachment {
  readonly kind: 'photo' | 'video' | 'document';
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: number;
  /** The path of the file on the sandbox: /_sandbox/files/<id>. */
  readonly url: string;
}

/** A 1×1 PNG: the photo the sandbox's citizens send with `withPhotos`. */
export const SANDBOX_PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** The credentials the sandbox accepts; the example tenant uses them. */
export const SANDBOX_CREDENTIALS = {
  /** `userToken`: a community admin's user token, which photos.getWallUploadServer needs. */
  vk: { token: 'sandbox-vk-community-token', userToken: 'sandbox-vk-user-token', groupId: 218475963, postIds: [1377, 1378, 1379] },
  telegram: { token: '7000000001:sandbox-telegram-bot-token', discussionChatId: -1001555000111, channelId: -1001987654321, cityChatId: -1001222333444 },
  ok: { applicationKey: 'CBASANDBOXABABABA', applicationSecretKey: 'sandbox-ok-secret', accessToken: 'sandbox-ok-group-token', groupId: '70000001234567', topicIds: ['155762436583901', '155762436583902'] },
  /** `channelId`: the administration's channel, whose posts citizens comment; `cityChatId`: a town's group chat where the bot is an admin. */
  max: { token: 'sandbox-max-bot-token-f0e1d2c3', botUserId: 590000001, channelId: -70801090403050, cityChatId: -70801090411122 },
} as const;

export interface RecordedPost {
  readonly network: SandboxNetwork;
  readonly method: string;
  /** Where it went: "wall-218475963_1377", "chat:-100…", "user:…", "topic:…". */
  readonly target: string;
  readonly text: string;
  readonly id: string;
  readonly replyTo?: string;
  /** Photos, videos and documents that went out with it. */
  readonly attachments?: readonly RecordedAttachment[];
  readonly at: string;
}

export interface ScriptedItem {
  readonly seq: number;
  readonly line: ScriptLine;
  readonly authorIndex: number;
  readonly anonymous: boolean;
  /** Which shape the item takes in its network. */
  readonly shape: 'comment' | 'private' | 'mention';
  readonly atSec: number;
}

type Waiter = () => void;

/** Shared by the three network handlers: the script cursor, switches, what was posted. */
export class SandboxState {
  private current: SandboxSwitches = { ...DEFAULT_SWITCHES };
  private floodCounter: Record<SandboxNetwork, number> = { vk: 0, telegram: 0, ok: 0, max: 0 };
  private hostileCounter: Record<SandboxNetwork, number> = { vk: 0, telegram: 0, ok: 0, max: 0 };
  private poisonPending = new Set<SandboxNetwork>();
  /** Called when `poisonedIds` is turned off: the handlers drop what they keep offering. */
  readonly unpoison: (() => void)[] = [];
  readonly files = new Map<string, SandboxFile>();
  /** How many answers each hostile switch produced, for /_sandbox/stats and a chaos run's report. */
  readonly hostileAnswers: Record<Exclude<HostileAnswer, null>, number> = { huge: 0, trickle: 0, 'rate-limit': 0, 'server-error': 0 };
  private readonly hostileRandom: () => number;
  readonly recorded: RecordedPost[] = [];
  readonly requests: Record<SandboxNetwork, number> = { vk: 0, telegram: 0, ok: 0, max: 0 };
  readonly requestsByMethod = new Map<string, number>();
  private readonly random: () => number;
  private seq = 0;
  private readonly waiters: Record<SandboxNetwork, Set<Waiter>> = { vk: new Set(), telegram: new Set(), ok: new Set(), max: new Set() };
  readonly listeners: Record<SandboxNetwork, ((item: ScriptedItem) => void)[]> = { vk: [], telegram: [], ok: [], max: [] };

  constructor(seed = 20251124, private readonly clock: () => Date = () => new Date()) {
    this.random = seededRandom(seed);
    // Its own sequence, so hostile answers do not change the scripted stream.
    this.hostileRandom = seededRandom(seed + 1);
  }

  nowSec(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }

  nowMs(): number {
    return this.clock().getTime();
  }

  get switches(): SandboxSwitches {
    return this.current;
  }

  /** Changing the switches restarts the flood and hostile counts, so a test knows which request is hit. */
  set switches(next: SandboxSwitches) {
    if (next.poisonedIds && !this.current.poisonedIds) this.poisonPending = new Set(SANDBOX_NETWORKS);
    if (!next.poisonedIds) this.poisonPending.clear();
    const wasPoisoned = this.current.poisonedIds;
    this.current = next;
    this.floodCounter = { vk: 0, telegram: 0, ok: 0, max: 0 };
    this.hostileCounter = { vk: 0, telegram: 0, ok: 0, max: 0 };
    if (wasPoisoned && !next.poisonedIds) for (const listener of this.unpoison) listener();
  }

  /** Whether the network's next item is to be poisoned; true once per network after `poisonedIds` is turned on. */
  takePoison(network: SandboxNetwork): boolean {
    return this.poisonPending.delete(network);
  }

  /** What the hostile switches do to this API request of the network (counted apart from the flood count). */
  hostileAnswer(network: SandboxNetwork): HostileAnswer {
    const { hugeBodyEvery, trickleEvery, failureRate } = this.current;
    if (hugeBodyEvery <= 0 && trickleEvery <= 0 && failureRate <= 0) return null;
    this.hostileCounter[network] += 1;
    const n = this.hostileCounter[network];
    // As with floodEvery: the first request after a change, then every Nth.
    const answer: HostileAnswer = hugeBodyEvery > 0 && (n - 1) % hugeBodyEvery === 0 ? 'huge'
      : trickleEvery > 0 && (n - 1) % trickleEvery === 0 ? 'trickle'
        : failureRate > 0 && this.hostileRandom() < failureRate ? (this.hostileRandom() < 0.5 ? 'rate-limit' : 'server-error')
          : null;
    if (answer !== null) this.hostileAnswers[answer] += 1;
    return answer;
  }

  /** Keeps a file and returns it with its id. */
  storeFile(fileName: string, contentType: string, data: Buffer): SandboxFile {
    const file = { id: `f${(this.files.size + 1).toString(36)}`, fileName, contentType, data };
    this.files.set(file.id, file);
    return file;
  }

  /** A kept file as a recorded attachment. */
  recordedAttachment(kind: RecordedAttachment['kind'], file: SandboxFile): RecordedAttachment {
    return { kind, fileName: file.fileName, contentType: file.contentType, bytes: file.data.length, url: `/_sandbox/files/${file.id}` };
  }

  /** Counts a request and says whether this one gets the flood answer (the Long Poll server has no such limit). */
  countRequest(network: SandboxNetwork, method: string, floodable = true): boolean {
    this.requests[network] += 1;
    const key = `${network} ${method}`;
    this.requestsByMethod.set(key, (this.requestsByMethod.get(key) ?? 0) + 1);
    if (!floodable || this.current.floodEvery <= 0) return false;
    this.floodCounter[network] += 1;
    return (this.floodCounter[network] - 1) % this.current.floodEvery === 0;
  }

  /** The next `count` scripted items for a network, in script order with a seeded mix of shapes. */
  emit(network: SandboxNetwork, count: number, category?: ScriptCategory): ScriptedItem[] {
    const lines = category === undefined ? SCRIPT : SCRIPT.filter((line) => line.category === category);
    const items: ScriptedItem[] = [];
    for (let i = 0; i < count; i += 1) {
      this.seq += 1;
      const line = lines[(this.seq - 1) % lines.length]!;
      const draw = this.random();
      // Telegram and MAX bots sit in town chats, where a message is ours only when it names the administration.
      const shape = (network === 'telegram' || network === 'max') && /администрац/i.test(line.text) && draw < 0.3 ? 'mention' : draw < 0.65 ? 'comment' : 'private';
      const item: ScriptedItem = { seq: this.seq, line, authorIndex: Math.floor(this.random() * AUTHORS.length), anonymous: this.switches.anonymousAuthor, shape, atSec: this.nowSec() };
      items.push(item);
      for (const listener of this.listeners[network]) listener(item);
    }
    this.wake(network);
    return items;
  }

  record(post: Omit<RecordedPost, 'at'>): RecordedPost {
    const full = { ...post, at: this.clock().toISOString() };
    this.recorded.push(full);
    return full;
  }

  /** Long polls park here until new items arrive or their wait runs out. */
  waitForItems(network: SandboxNetwork, waitMs: number): Promise<void> {
    if (waitMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = (): void => { clearTimeout(timer); this.waiters[network].delete(waiter); resolve(); };
      const timer = setTimeout(waiter, waitMs);
      this.waiters[network].add(waiter);
    });
  }

  private wake(network: SandboxNetwork): void {
    for (const waiter of [...this.waiters[network]]) waiter();
  }

  /** Ends every parked long poll, so the server can close. */
  wakeAll(): void {
    for (const network of SANDBOX_NETWORKS) this.wake(network);
  }
}

export function authorName(index: number): { first: string; last: string } {
  return AUTHORS[index % AUTHORS.length]!;
}
