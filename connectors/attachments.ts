import { z } from 'zod';
import type { MessageAttachment } from './types.js';
import { describeIssues } from './normalized.js';

/**
 * A file an answer carries to the citizen (000 [16], 002 [11], 003 [8]: the answer may
 * include photos and videos), as bytes. Bytes rather than a reader: the publisher holds
 * them anyway (a draft's photo comes from the staff bot or the workplace), a connector
 * may send them twice (a media group after the text), and a failing read belongs to the
 * publisher's store, not to the network's error model.
 */
export interface OutgoingFile {
  readonly kind: 'photo' | 'video' | 'document';
  /** Shown to the citizen by Telegram and VK documents; the extension matters to VK. */
  readonly fileName: string;
  /** MIME type: image/jpeg, video/mp4, application/pdf… */
  readonly contentType: string;
  readonly data: Buffer;
}

/**
 * What `reply` and `sendPrivate` take besides the text: files as bytes, and links (a
 * page of the administration's site) as `{ type: 'link', url }`. A reference that is
 * neither (a `telegram-file:` id from the staff bot) is never written into the text: it
 * comes back in `undelivered`, and the publisher passes the file's bytes instead.
 */
export type AnswerAttachment = OutgoingFile | MessageAttachment;

/** An attachment of the answer that did not reach the citizen, with why, for the curator. */
export interface UndeliveredAttachment {
  readonly name: string;
  readonly reason: string;
}

/** An incoming attachment's file, for staff to see (the curator's workplace). */
export interface DownloadedAttachment {
  readonly contentType: string;
  readonly fileName: string;
  readonly data: Buffer;
}

/** A download that cannot be made: not a file (a VK video page), or not on the network's own hosts. */
export class AttachmentNotDownloadable extends Error {
  override readonly name = 'AttachmentNotDownloadable';
  readonly retryMayHelp = false;
  constructor(readonly attachment: MessageAttachment, reason: string) {
    super(`${attachment.type} ${attachment.url.startsWith('telegram-file:') ? attachment.url : redactQuery(attachment.url)}: ${reason}`);
  }
}

/** Fetches an incoming attachment's bytes through the network's API, without a token in what it returns. */
export interface AttachmentSource {
  fetchAttachment(attachment: MessageAttachment): Promise<DownloadedAttachment>;
}

const outgoingFileSchema = z.object({
  kind: z.enum(['photo', 'video', 'document']),
  fileName: z.string().min(1, 'fileName: empty').max(255, 'fileName: longer than 255 characters').refine((name) => !/[/\\\0]/.test(name), 'fileName: contains a path separator'),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'contentType: not a MIME type'),
  data: z.instanceof(Buffer).refine((data) => data.length > 0, 'data: empty'),
});

export function isOutgoingFile(attachment: AnswerAttachment): attachment is OutgoingFile {
  return 'data' in attachment;
}

export interface SplitAttachments {
  readonly files: readonly OutgoingFile[];
  /** http(s) links, to be written under the text. */
  readonly links: readonly string[];
  readonly undelivered: readonly UndeliveredAttachment[];
}

/**
 * Sorts an answer's attachments: valid files under the network's size cap, links, and
 * the rest as undelivered with the reason (a file that fails the check names the field).
 */
export function splitAttachments(attachments: readonly AnswerAttachment[], maxBytes: (file: OutgoingFile) => number): SplitAttachments {
  const files: OutgoingFile[] = [];
  const links: string[] = [];
  const undelivered: UndeliveredAttachment[] = [];
  for (const attachment of attachments) {
    if (isOutgoingFile(attachment)) {
      const checked = outgoingFileSchema.safeParse(attachment);
      if (!checked.success) undelivered.push({ name: String(attachment.fileName || attachment.kind), reason: describeIssues(checked.error) });
      else if (attachment.data.length > maxBytes(attachment)) undelivered.push({ name: attachment.fileName, reason: `data: ${attachment.data.length} bytes, the network takes at most ${maxBytes(attachment)}` });
      else files.push(attachment);
    } else if (/^https?:\/\//i.test(attachment.url)) {
      links.push(attachment.url);
    } else {
      undelivered.push({ name: attachment.url.replace(/^telegram-file:/, 'telegram file '), reason: 'a reference, not a file: the publisher must pass the file\'s bytes' });
    }
  }
  return { files, links, undelivered };
}

/** The text with the links under it, as a citizen reads them. */
export function withLinks(text: string, links: readonly string[]): string {
  return links.length === 0 ? text : `${text}\n\n${links.join('\n')}`;
}

const byExtension: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska',
  pdf: 'application/pdf', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  oga: 'audio/ogg', ogg: 'audio/ogg', mp3: 'audio/mpeg', m4a: 'audio/mp4',
};

/**
 * The type of a downloaded file: the server's, unless it is the generic octet-stream
 * Telegram's file server sends, then the file name's extension.
 */
export function contentTypeOf(fileName: string, served: string | undefined): string {
  const header = served?.split(';')[0]?.trim().toLowerCase();
  if (header !== undefined && header !== '' && header !== 'application/octet-stream') return header;
  return byExtension[fileName.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/**
 * A URL from a network's payload is fetched only from that network's own file hosts (or
 * the API's own host: the sandbox), so a forged payload cannot make the server fetch an
 * address inside the administration's network.
 */
export function onAllowedHost(url: string, hosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.toLowerCase();
  const secure = parsed.protocol === 'https:';
  return hosts.some((allowed) => {
    const [name, scheme] = allowed.split('|');
    const matches = host === name || host.endsWith(`.${name}`);
    return matches && (secure || scheme === 'http');
  });
}

/** The host of a base URL, allowed over plain http when the base URL is http (the sandbox). */
export function baseHost(baseUrl: string): string {
  const parsed = new URL(baseUrl);
  return parsed.protocol === 'http:' ? `${parsed.hostname}|http` : parsed.hostname;
}

function redactQuery(url: string): string {
  return url.replace(/\?.*$/, '?…');
}

/** The file name at the end of a URL's path, or a name built from the attachment's type. */
export function fileNameOf(url: string, type: MessageAttachment['type']): string {
  const last = (() => { try { return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? ''); } catch { return ''; } })();
  if (/^[\w.-]{1,120}\.\w{2,5}$/.test(last)) return last;
  return type === 'photo' ? 'photo.jpg' : type === 'video' ? 'video.mp4' : type === 'audio' ? 'audio.ogg' : 'file';
}
