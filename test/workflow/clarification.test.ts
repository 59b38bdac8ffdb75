import { describe, expect, it } from '@jest/globals';
import {
  clarificationReplyMatch,
  clarificationReplyTarget,
  isClarificationReply,
  type ArrivedMessage,
  type ClarificationCandidate,
} from '../../workflow/clarification.js';

// Shaped as connectors/*/normalize.ts make them (only the fields the match reads).
const vkComment = (over: Partial<ArrivedMessage> & { item?: string; thread?: string } = {}): ArrivedMessage => ({
  network: 'vk',
  kind: 'comment',
  place: { containerId: '-100', postId: '55', itemId: over.item ?? '900', ...(over.thread ? { threadId: over.thread } : {}) },
  author: { id: '777', anonymous: false },
  createdAt: new Date('2025-12-02T12:00:00Z'),
  ...over,
});
const vkPrivate = (over: Partial<ArrivedMessage> = {}): ArrivedMessage => ({
  network: 'vk', kind: 'private', place: { containerId: '777', itemId: '31' }, author: { id: '777', anonymous: false }, createdAt: new Date('2025-12-02T12:00:00Z'), ...over,
});

const REQUESTED = new Date('2025-12-02T11:20:00Z');
const waiting = (message: ArrivedMessage, over: Partial<ClarificationCandidate> = {}): ClarificationCandidate => ({
  number: 17,
  state: 'awaiting-author',
  message,
  history: [
    { who: 'system:classifier', at: new Date('2025-12-02T10:00:00Z'), from: 'new', to: 'triage', why: '' },
    { who: 'system:publisher', at: REQUESTED, from: 'publishing', to: 'awaiting-author', why: 'Запрос уточнения опубликован' },
  ],
  ...over,
});

describe('is a new message the author\'s reply to the clarification request? (001 [17])', () => {
  const original = vkComment({ item: '800', createdAt: new Date('2025-12-02T09:50:00Z') });

  it('a comment by the same author under the same post, after the request: same thread, also as a reply to our comment', () => {
    expect(clarificationReplyMatch(vkComment(), waiting(original))).toBe('same-thread');
    expect(clarificationReplyMatch(vkComment({ thread: '950' }), waiting(original))).toBe('same-thread');
  });

  it('a private message from the author, where a blocked public request went (001 [20])', () => {
    expect(clarificationReplyMatch(vkPrivate(), waiting(original))).toBe('private-chat');
    // The author first wrote privately: the reply is in the same private chat.
    expect(isClarificationReply(vkPrivate(), waiting(vkPrivate({ createdAt: new Date('2025-12-02T09:00:00Z') })))).toBe(true);
  });

  it.each<[string, ArrivedMessage, Partial<ClarificationCandidate>]>([
    ['another author', vkComment({ author: { id: '778', anonymous: false } }), {}],
    ['an anonymous author', vkComment({ author: { id: '777', anonymous: true } }), {}],
    ['another network', { ...vkComment(), network: 'ok' }, {}],
    ['another post of the same group', vkComment({ place: { containerId: '-100', postId: '56', itemId: '901' } }), {}],
    ['written before the request was published', vkComment({ createdAt: new Date('2025-12-02T11:19:00Z') }), {}],
    ['an incident not waiting for the author', vkComment(), { state: 'draft' }],
    ['an incident whose request never went out', vkComment(), { history: [] }],
  ])('not a reply: %s', (_name, message, over) => {
    expect(isClarificationReply(message, waiting(original, over))).toBe(false);
  });

  it('a reply stamped in the very second of the request still counts: networks date in whole seconds', () => {
    const requestedMidSecond = waiting(original, {
      history: [{ who: 'system:publisher', at: new Date('2025-12-02T11:20:00.700Z'), from: 'publishing', to: 'awaiting-author', why: '' }],
    });
    expect(isClarificationReply(vkComment({ createdAt: new Date('2025-12-02T11:20:00Z') }), requestedMidSecond)).toBe(true);
  });

  it('a public comment does not answer a question asked in a private chat', () => {
    expect(isClarificationReply(vkComment(), waiting(vkPrivate({ createdAt: new Date('2025-12-02T09:00:00Z') })))).toBe(false);
  });

  it('Telegram: the same group and forum topic is the same conversation; another topic is not', () => {
    const tg = (thread: string | undefined, item: string, at: string): ArrivedMessage => ({
      network: 'telegram', kind: 'comment', place: { containerId: '-1001234', itemId: item, ...(thread ? { threadId: thread } : {}) },
      author: { id: '42', anonymous: false }, createdAt: new Date(at),
    });
    const asked = waiting(tg('7', '100', '2025-12-02T09:00:00Z'));
    expect(clarificationReplyMatch(tg('7', '130', '2025-12-02T12:00:00Z'), asked)).toBe('same-thread');
    expect(clarificationReplyMatch(tg('8', '131', '2025-12-02T12:00:00Z'), asked)).toBeNull();
  });

  it('the author has two requests out: the one in the same conversation, else the latest', () => {
    const first = { ...waiting(original), number: 17 };
    const elsewhere = vkComment({ place: { containerId: '-100', postId: '60', itemId: '1000' }, createdAt: new Date('2025-12-02T10:30:00Z') });
    const second = {
      ...waiting(elsewhere),
      number: 18,
      history: [{ who: 'system:publisher', at: new Date('2025-12-02T11:40:00Z'), from: 'publishing', to: 'awaiting-author', why: '' }],
    };
    expect(clarificationReplyTarget(vkComment(), [second, first])?.number).toBe(17);
    expect(clarificationReplyTarget(vkPrivate(), [first, second])?.number).toBe(18);
    expect(clarificationReplyTarget(vkComment({ author: { id: '5', anonymous: false } }), [first, second])).toBeNull();
  });
});
