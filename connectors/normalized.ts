import { z } from 'zod';
import type { NormalizedMessage } from './types.js';
import { NETWORKS } from './types.js';

/**
 * The runtime check at the connector edge (STYLE 11): every normalizer's output passes
 * through it, so a normalizer bug becomes a rejected payload rather than a bad document.
 */
export const normalizedMessageSchema = z.object({
  network: z.enum(NETWORKS as unknown as ['vk', 'ok', 'telegram', 'max']),
  externalId: z.string().min(1),
  kind: z.enum(['comment', 'private', 'mention']),
  place: z.object({
    containerId: z.string().min(1),
    postId: z.string().min(1).optional(),
    itemId: z.string().min(1),
    threadId: z.string().min(1).optional(),
    discussionType: z.string().min(1).optional(),
    replyToId: z.string().min(1).optional(),
    replyToAuthorId: z.string().min(1).optional(),
    url: z.url().optional(),
  }),
  author: z.object({
    id: z.string(),
    name: z.string(),
    profileUrl: z.url().optional(),
    anonymous: z.boolean(),
  }),
  text: z.string(),
  attachments: z.array(z.object({ type: z.enum(['photo', 'video', 'document', 'link', 'audio', 'other']), url: z.string().min(1) })),
  createdAt: z.date().refine((date) => !Number.isNaN(date.getTime()), 'invalid date'),
  matchedKeywords: z.array(z.string()),
  raw: z.unknown(),
});

export type CheckResult = { ok: true; message: NormalizedMessage } | { ok: false; reason: string };

export function checkNormalized(candidate: NormalizedMessage): CheckResult {
  const parsed = normalizedMessageSchema.safeParse(candidate);
  return parsed.success ? { ok: true, message: candidate } : { ok: false, reason: describeIssues(parsed.error) };
}

/** A short reason for the aside record: which field, what was wrong. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Drops undefined optional fields so the stored document has no `field: undefined`. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
