import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { sendPage, type WebDeps } from '../server.js';
import { dashboardPage } from '../views/dashboard.js';
import { messagePage } from '../views/sign-in.js';

/** The head's dashboard (003 [13] in figures, live): curators see it too. */
export function registerDashboardRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/dashboard', async (request, reply) => {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return reply;
    if (!viewer.layout.canDashboard) return sendPage(reply, messagePage('Нет доступа', 'Сводку видят руководитель и кураторы.', { href: '/inbox', label: 'К обращениям' }), 403);
    const now = deps.now();
    const zone = viewer.tenant.timeZone;
    const local = DateTime.fromJSDate(now, { zone });
    const data = await deps.store.dashboard(viewer.account.tenant, {
      dayFrom: local.startOf('day').toJSDate(), monthFrom: local.startOf('month').toJSDate(), to: now, timeZone: zone,
    });
    return sendPage(reply, dashboardPage({ viewer: viewer.layout, tenant: viewer.tenant, clock: viewer.clock, now, data }));
  });
}
