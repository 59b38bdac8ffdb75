import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { LiveEvent } from '../live.js';
import type { WebDeps } from '../server.js';

/** Comments keep proxies from closing a quiet stream. */
const HEARTBEAT_MS = 20_000;

/** Server-sent events: the inbox refreshes itself and a card says when it changed under the reader. */
export function registerEventRoutes(app: FastifyInstance, deps: WebDeps): void {
  const open = new Set<ServerResponse>();
  app.addHook('onClose', async () => {
    for (const res of open) res.end();
  });

  app.get('/events', async (request, reply) => {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return reply;
    const tenant = viewer.account.tenant;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    open.add(res);
    const send = (event: LiveEvent) => {
      // Only incident numbers and colleagues' names: nothing of the citizens.
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.type === 'viewing' ? { number: event.number, code: event.code, name: event.name } : { numbers: event.numbers })}\n\n`);
    };
    const unsubscribe = deps.live.subscribe(tenant, (event) => {
      if (event.type === 'viewing' && event.code === viewer.account.code) return;
      send(event);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    });
  });
}
