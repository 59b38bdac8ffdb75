import type { FastifyInstance } from 'fastify';
import { sendPage, type WebDeps } from '../server.js';
import { topicsPage } from '../views/topics.js';

/**
 * «Рубрикатор тем»: the topic guide for the signed-in person's tenant. It holds no
 * personal data and executors file by topic too, so every role that can sign in reads it.
 */
export function registerTopicRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/topics', async (request, reply) => {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return reply;
    return sendPage(reply, topicsPage({ viewer: viewer.layout, topics: viewer.tenant.topics }));
  });
}
