import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { field } from '../commands.js';
import { formOf, sendPage, type Viewer, type WebDeps } from '../server.js';
import { messagePage } from '../views/sign-in.js';
import { templatesPage } from '../views/templates.js';

/** Шаблоны ответов: curators keep them; executors insert them into drafts (routes/card.ts). */
export function registerTemplateRoutes(app: FastifyInstance, deps: WebDeps): void {
  async function curator(request: Parameters<WebDeps['requireViewer']>[0], reply: FastifyReply): Promise<Viewer | null> {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return null;
    if (!viewer.account.roles.includes('curator')) {
      await sendPage(reply, messagePage('Нет доступа', 'Шаблоны ответов ведёт куратор.', { href: '/inbox', label: 'К обращениям' }), 403);
      return null;
    }
    return viewer;
  }

  app.get<{ Querystring: { edit?: string; saved?: string; deleted?: string } }>('/templates', async (request, reply) => {
    const viewer = await curator(request, reply);
    if (!viewer) return reply;
    const tenant = viewer.account.tenant;
    const [list, editing] = await Promise.all([
      deps.store.cannedAnswers(tenant),
      request.query.edit ? deps.store.cannedAnswer(tenant, request.query.edit) : Promise.resolve(null),
    ]);
    const notice = request.query.saved ? 'Шаблон сохранён.' : request.query.deleted ? 'Шаблон удалён.' : null;
    return sendPage(reply, templatesPage({ viewer: viewer.layout, tenant: viewer.tenant, list, editing, notice }));
  });

  app.post('/templates', async (request, reply) => {
    const viewer = await curator(request, reply);
    if (!viewer) return reply;
    const body = formOf(request);
    const tenant = viewer.account.tenant;
    const values = { title: field(body, 'title'), text: field(body, 'text'), topic: field(body, 'topic') };
    const parsed = z.object({
      title: z.string().trim().min(1, 'Название: поле не заполнено').max(200, 'Название: не длиннее 200 знаков'),
      text: z.string().trim().min(1, 'Текст: поле не заполнено').max(10000, 'Текст: не длиннее 10 000 знаков'),
      topic: z.string().refine((t) => t === '' || viewer.tenant.topics.includes(t), 'Тема: выберите из списка тем'),
    }).safeParse(values);
    const id = field(body, 'id') || undefined;
    const editing = id ? await deps.store.cannedAnswer(tenant, id) : null;
    const list = () => deps.store.cannedAnswers(tenant);
    if (!parsed.success) {
      return sendPage(reply, templatesPage({ viewer: viewer.layout, tenant: viewer.tenant, list: await list(), editing, values, error: parsed.error.issues[0]?.message ?? 'Форма заполнена неверно' }), 422);
    }
    if (id && !editing) return sendPage(reply, templatesPage({ viewer: viewer.layout, tenant: viewer.tenant, list: await list(), editing: null, values, error: 'Шаблон не найден: возможно, его удалили. Сохраните как новый.' }), 404);
    await deps.store.saveCannedAnswer({
      tenant, ...(id ? { id } : {}), title: parsed.data.title, text: parsed.data.text, topic: parsed.data.topic || null, by: viewer.account.fullName, now: deps.now(),
    });
    return reply.redirect('/templates?saved=1', 303);
  });

  app.post<{ Params: { id: string } }>('/templates/:id/delete', async (request, reply) => {
    const viewer = await curator(request, reply);
    if (!viewer) return reply;
    await deps.store.deleteCannedAnswer(viewer.account.tenant, request.params.id);
    return reply.redirect('/templates?deleted=1', 303);
  });
}
