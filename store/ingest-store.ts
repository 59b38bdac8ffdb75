import type { IngestStore } from '../connectors/poll.js';
import type { Store } from './connection.js';
import { loadCursor, saveCursor } from './cursors.js';
import { ingestMessages, putAside } from './messages.js';

/** The store functions the connectors' poll loop needs, bound to one store (connectors never import store/). */
export function ingestStoreOf(store: Store): IngestStore {
  return {
    loadCursor: (tenant, network, account) => loadCursor(store, tenant, network, account),
    saveCursor: (tenant, network, account, cursor) => saveCursor(store, tenant, network, account, cursor),
    ingestMessages: (tenant, messages, account) => ingestMessages(store, tenant, messages, account),
    putAside: (tenant, rejected) => putAside(store, tenant, rejected),
  };
}
