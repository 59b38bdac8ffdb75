import { AUTHORS, SCRIPT, seededRandom, type ScriptCategory, type ScriptLine } from './script.js';

export type SandboxNetwork = 'vk' | 'telegram' | 'ok';

/** What the sandbox can be told to do wrong, as the real networks do. */
export interface SandboxSwitches {
  /** New messages come from anonymous authors (Telegram: a channel or anonymous admin; VK: a deleted page). */
  anonymousAuthor: boolean;
  /** Private messages to citizens are refused (VK 902, Telegram 403 "can't initiate", OK success:false). */
  privateClosed: boolean;
  /** Public replies are refused (VK 213, Telegram 400 no rights, OK 456). */
  commentsClosed: boolean;
  /** The community or bot is blocked where it comments (VK 203, Telegram 403 kicked, OK 456). */
  communityBlocked: boolean;
  /** The user blocked the community or bot (VK 901, Telegram 403 blocked, OK success:false). */
  botBlocked: boolean;
  /** The next VK Long Poll check answers `failed: 1` (events lost), once. */
  longPollHistoryLost: boolean;
  /** From the first request after the switches change, every Nth answers with the network's flood error; 0 is off. */
  floodEvery: number;
}

export const DEFAULT_SWITCHES: SandboxSwitches = {
  anonymousAuthor: false, privateClosed: false, commentsClosed: false, communityBlocked: false, botBlocked: false, longPollHistoryLost: false, floodEvery: 0,
};

/** The credentials the sandbox accepts; the example tenant uses them. */
export const SANDBOX_CREDENTIALS = {
  vk: { token: 'sandbox-vk-community-token', groupId: 218475963, postIds: [1377, 1378, 1379] },
  telegram: { token: '7000000001:sandbox-telegram-bot-token', discussionChatId: -1001555000111, channelId: -1001987654321, cityChatId: -1001222333444 },
  ok: { applicationKey: 'CBASANDBOXABABABA', applicationSecretKey: 'sandbox-ok-secret', accessToken: 'sandbox-ok-group-token', groupId: '70000001234567', topicIds: ['155762436583901', '155762436583902'] },
} as const;

export interface RecordedPost {
  readonly network: SandboxNetwork;
  readonly method: string;
  /** Where it went: "wall-218475963_1377", "chat:-100…", "user:…", "topic:…". */
  readonly target: string;
  readonly text: string;
  readonly id: string;
  readonly replyTo?: string;
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
  private floodCounter: Record<SandboxNetwork, number> = { vk: 0, telegram: 0, ok: 0 };
  readonly recorded: RecordedPost[] = [];
  readonly requests: Record<SandboxNetwork, number> = { vk: 0, telegram: 0, ok: 0 };
  readonly requestsByMethod = new Map<string, number>();
  private readonly random: () => number;
  private seq = 0;
  private readonly waiters: Record<SandboxNetwork, Set<Waiter>> = { vk: new Set(), telegram: new Set(), ok: new Set() };
  readonly listeners: Record<SandboxNetwork, ((item: ScriptedItem) => void)[]> = { vk: [], telegram: [], ok: [] };

  constructor(seed = 20251124, private readonly clock: () => Date = () => new Date()) {
    this.random = seededRandom(seed);
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

  /** Changing the switches restarts the flood count, so a test knows which request is refused. */
  set switches(next: SandboxSwitches) {
    this.current = next;
    this.floodCounter = { vk: 0, telegram: 0, ok: 0 };
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
      const shape = network === 'telegram' && /администрац/i.test(line.text) && draw < 0.3 ? 'mention' : draw < 0.65 ? 'comment' : 'private';
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
    for (const network of ['vk', 'telegram', 'ok'] as const) this.wake(network);
  }
}

export function authorName(index: number): { first: string; last: string } {
  return AUTHORS[index % AUTHORS.length]!;
}
