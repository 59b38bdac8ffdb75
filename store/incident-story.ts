import type { Store } from './connection.js';
import { findIncident, type StoredIncident } from './incidents.js';
import { messageModel } from './models/message.js';

/** The citizen's message behind an incident, as a staff card and `otklik incident show` read it. */
export interface IncidentMessage {
  readonly text: string;
  readonly authorName: string;
  readonly authorId: string;
  readonly anonymous: boolean;
  readonly network: string;
  readonly url: string | null;
  readonly postedAt: Date;
  readonly attachments: readonly { readonly type: string; readonly url: string }[];
}

export async function loadIncidentWithMessage(store: Store, tenant: string, number: number): Promise<{ incident: StoredIncident; message: IncidentMessage | null } | null> {
  const incident = await findIncident(store, tenant, number);
  if (!incident) return null;
  const m = await messageModel(store.connection).findById(incident.message).lean().exec();
  const place = (m?.place ?? {}) as { url?: unknown };
  return {
    incident,
    message: m
      ? {
          text: m.text, authorName: m.author?.name ?? '', authorId: m.author?.id ?? '', anonymous: m.author?.anonymous ?? false,
          network: m.network, url: typeof place.url === 'string' ? place.url : null, postedAt: m.createdAt,
          attachments: (m.attachments ?? []).map((a) => ({ type: a.type ?? '', url: a.url ?? '' })),
        }
      : null,
  };
}
