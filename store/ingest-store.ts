import type { IngestStore } from '../connectors/poll.js';
import type { Db } from './db.js';
import { loadCursor, saveCursor } from './cursors.js';
import { ingestMessages, putAside } from './messages.js';

/** The store functions the connectors' poll loop needs, bound to one store (connectors never import store/). */
export function ingestStoreOf(db: Db): IngestStore {
  return {
    loadCursor: (tenant, network, account) => loadCursor(db, tenant, network, account),
    saveCursor: (tenant, network, account, cursor) => saveCursor(db, tenant, network, account, cursor),
    ingestMessages: (tenant, messages, account) => ingestMessages(db, tenant, messages, account),
    putAside: (tenant, rejected) => putAside(db, tenant, rejected),
  };
}
