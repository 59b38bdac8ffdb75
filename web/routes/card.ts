import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WorkflowError } from '../../workflow/incident-machine.js';
import { isIncidentState, STATE_INFO } from '../../workflow/incident-states.js';
import { isVisible } from '../access.js';
import { actionsFor } from '../card-actions.js';
import { field, isWebCommand, parseCommand, type FormBody, type WebCommandType } from '../commands.js';
import { correctionsFor } from '../corrections.js';
import { IncidentUnavailableError, StaleCardError, type IncidentCard } from '../ports.js';
import { formOf, isHtmx, sendPage, type Viewer, type WebDeps } from '../server.js';
import { cardPage, draftTextarea } from '../views/card.js';
import { messagePage } from '../views/sign-in.js';

/** What the card says after a command went through. */
const DONE: Readonly<Record<WebCommandType, string>> = {
  'confirm-and-route': 'Обращение направлено исполнителю.',
  reject: 'Обращение отклонено.',
  overturn: 'Отклонение отменено: обращение снова на распределении.',
  'link-repeat': 'Обращение отмечено как повторное.',
  'unlink-repeat': 'Отметка о повторе снята.',
  reassign: 'Обращение передано другому исполнителю.',
  take: 'Обращение взято в работу.',
  'pass-on': 'Обращение передано следующему подразделению.',
  'return-not-competent': 'Обращение возвращено куратору как не относящееся к компетенции подразделения.',
  'submit-draft': 'Проект направлен на согласование куратору.',
  approve: 'Ответ согласован и передан на публикацию.',
  'edit-and-approve': 'Исправленный ответ согласован и передан на публикацию.',
  'return-for-rework': 'Проект возвращён исполнителю на доработку.',
  'set-promised-date': 'Дата окончательного ответа записана.',
  'set-public-interest': 'Отметка об общем интересе изменена.',
  'resolve-delivery': 'Результат публикации записан.',
  'close-no-reply': 'Обращение закрыто: автор не ответил на запрос уточнения.',
  'resume-without-reply': 'Обращение возвращено исполнителю без ответа автора.',
  'convert-to-appeal': 'Обращение оформлено по 59-ФЗ.',
};

const READS_SHOWN = 20;

function parseNumber(raw: string): number | null {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

function unavailable(reply: FastifyReply, number: number | null): FastifyReply {
  return sendPage(reply, messagePage('Обращение недоступно', `Обращение${number !== null ? ` № ${number}` : ''} не найдено или недоступно вам: исполнитель видит обращения своего подразделения.`, { href: '/inbox', label: 'К обращениям' }), 404);
}

export function registerCardRoutes(app: FastifyInstance, deps: WebDeps): void {
  /** The card a person may see, or null: another department's incident is as absent as one that does not exist. */
  async function visibleCard(viewer: Viewer, number: number): Promise<IncidentCard | null> {
    if (!viewer.visibility) return null;
    const card = await deps.store.card(viewer.account.tenant, number);
    if (!card || !isVisible(viewer.visibility, card.incident)) return null;
    return card;
  }

  /** Renders the card; each rendering is a view of the author's data and goes to the read register. */
  async function render(reply: FastifyReply, viewer: Viewer, card: IncidentCard, extra: { notice?: string | null; error?: string | null; form?: { command: string; values: FormBody } | null }, status = 200) {
    const now = deps.now();
    const { account, tenant } = viewer;
    const number = card.incident.number;
    await deps.store.recordRead({ tenant: account.tenant, number, who: account.code, at: now, personalData: card.message !== null && !card.message.author.anonymous });
    deps.live.viewing(account.tenant, number, account.code, account.fullName);
    const actions = actionsFor(account, card.incident, tenant, now);
    const curatorOrHead = account.roles.includes('curator') || account.roles.includes('head');
    const [reads, canned] = await Promise.all([
      curatorOrHead ? deps.store.readsOf(account.tenant, number, READS_SHOWN) : Promise.resolve(null),
      actions.includes('submit-draft') ? deps.store.cannedAnswers(account.tenant) : Promise.resolve([]),
    ]);
    return sendPage(reply, cardPage({
      viewer: viewer.layout, account, tenant, clock: viewer.clock, now, card, actions, reads, canned,
      otherViewers: deps.live.viewersOf(account.tenant, number, account.code), draftId: `web-${randomUUID()}`,
      notice: extra.notice ?? null, error: extra.error ?? null, form: extra.form ?? null,
    }), status);
  }

  app.get<{ Params: { number: string }; Querystring: { done?: string } }>('/incidents/:number', async (request, reply) => {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return reply;
    const number = parseNumber(request.params.number);
    const card = number === null ? null : await visibleCard(viewer, number);
    if (!card) return unavailable(reply, number);
    const done = request.query.done;
    return render(reply, viewer, card, { notice: done && isWebCommand(done) ? DONE[done] : null });
  });

  // For the live banner: has the incident moved on from the card on screen? Not a view: no author data.
  app.get<{ Params: { number: string } }>('/incidents/:number/version', async (request, reply) => {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return reply;
    const number = parseNumber(request.params.number);
    const card = number === null ? null : await visibleCard(viewer, number);
    if (!card) return reply.code(404).send({ error: 'not found' });
    return reply.send({ state: card.incident.state, version: card.incident.version });
  });

  app.post<{ Params: { number: string; command: string } }>('/incidents/:number/commands/:command', async (request, reply) => {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return reply;
    const type = request.params.command;
    const number = parseNumber(request.params.number);
    if (!isWebCommand(type)) return reply.callNotFound();
    const card = number === null ? null : await visibleCard(viewer, number);
    if (!card || number === null) return unavailable(reply, number);
    const body = formOf(request);
    const form = { command: type, values: body };
    const state = field(body, 'state');
    const version = Number.parseInt(field(body, 'version'), 10);
    if (!isIncidentState(state) || !Number.isInteger(version) || version < 0) {
      return render(reply, viewer, card, { error: 'Форма повреждена (нет состояния карточки, для которого она открыта): ничего не изменено. Повторите действие на этой карточке.', form }, 400);
    }
    const now = deps.now();
    const parsed = parseCommand(type, body, { timeZone: viewer.tenant.timeZone, now });
    if (!parsed.ok) return render(reply, viewer, card, { error: parsed.error, form }, 422);
    try {
      await deps.store.apply({
        tenant: viewer.account.tenant, number, command: parsed.command,
        actor: { kind: 'staff', code: viewer.account.code, roles: viewer.account.roles },
        seen: { state, version }, corrections: correctionsFor(parsed.command, card.incident, card.message, viewer.account.code, now), now,
      });
    } catch (error) {
      if (error instanceof StaleCardError) {
        // The fresh card, with what the person typed kept: they decide again on what is there now.
        const fresh = await visibleCard(viewer, number);
        if (!fresh) return unavailable(reply, number);
        request.log.info({ number, command: type, by: viewer.account.code, seen: { state, version }, now: fresh.incident.state }, 'web: stale form refused');
        return render(reply, viewer, fresh, { error: `${error.message} Сейчас обращение ${STATE_INFO[fresh.incident.state].phrase}.`, form }, 409);
      }
      if (error instanceof WorkflowError) return render(reply, viewer, card, { error: error.message, form }, 422);
      if (error instanceof IncidentUnavailableError) return unavailable(reply, number);
      throw error;
    }
    request.log.info({ tenant: viewer.account.tenant, number, command: type, by: viewer.account.code }, 'web: command applied');
    deps.live.publish(viewer.account.tenant, { type: 'changed', numbers: [number] });
    return reply.redirect(`/incidents/${number}?done=${type}`, 303);
  });

  // A canned answer into the draft being written: the text typed so far stays, the template follows it.
  app.post<{ Params: { number: string } }>('/incidents/:number/template', async (request, reply) => {
    const viewer = await deps.requireViewer(request, reply);
    if (!viewer) return reply;
    const number = parseNumber(request.params.number);
    const card = number === null ? null : await visibleCard(viewer, number);
    if (!card) return unavailable(reply, number);
    const body = formOf(request);
    const template = await deps.store.cannedAnswer(viewer.account.tenant, field(body, 'template'));
    const typed = field(body, 'text').trimEnd();
    const text = template ? (typed ? `${typed}\n\n${template.text}` : template.text) : typed;
    if (isHtmx(request)) return sendPage(reply, draftTextarea(text));
    return render(reply, viewer, card, { error: template ? null : 'Шаблон не найден: возможно, его удалили.', form: { command: 'submit-draft', values: { ...body, text } } });
  });
}
