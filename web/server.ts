import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { clockFor } from '../workflow/deadline-plan.js';
import type { WorkingClock } from '../workflow/terms.js';
import { visibilityOf } from './access.js';
import { field, type FormBody } from './commands.js';
import type { Html } from './html.js';
import type { LiveHub } from './live.js';
import type { StaffAccount, TenantContext, Visibility, WebSession, WebStore } from './ports.js';
import { registerCardRoutes } from './routes/card.js';
import { registerDashboardRoutes } from './routes/dashboard.js';
import { registerEventRoutes } from './routes/events.js';
import { registerInboxRoutes } from './routes/inbox.js';
import { registerSignInRoutes } from './routes/sign-in.js';
import { registerTemplateRoutes } from './routes/templates.js';
import { registerTopicRoutes } from './routes/topics.js';
import { sameSecret, tokenId } from './tokens.js';
import type { LayoutViewer } from './views/layout.js';
import { messagePage, signInPage } from './views/sign-in.js';

/**
 * The staff workplace (issue 11): Fastify on 127.0.0.1, server-rendered pages with htmx
 * as progressive enhancement (every form also works without JavaScript), sessions in the
 * store, and every change through workflow/ decisions and the WebStore port.
 */
export interface WebAppOptions {
  readonly store: WebStore;
  readonly live: LiveHub;
  readonly logger?: FastifyBaseLogger;
  readonly now?: () => Date;
  /** Cookies only over HTTPS: on when OTKLIK_WEB_URL is https (behind a TLS proxy). */
  readonly secureCookies?: boolean;
  /** Password and link sign-ins per client (and login) in `timeWindowMs`. */
  readonly signInLimit?: { readonly max: number; readonly timeWindowMs: number };
  /** Absolute length of a session, and how long it survives without a request. */
  readonly sessionTtlMs?: number;
  readonly idleMs?: number;
}

export interface Viewer {
  readonly session: WebSession;
  readonly account: StaffAccount;
  readonly tenant: TenantContext;
  readonly clock: WorkingClock;
  /** null: the person's roles give no access to incidents (an admin alone). */
  readonly visibility: Visibility | null;
  readonly layout: LayoutViewer;
}

export interface WebDeps {
  readonly store: WebStore;
  readonly live: LiveHub;
  readonly now: () => Date;
  readonly secureCookies: boolean;
  readonly signInLimit: { readonly max: number; readonly timeWindowMs: number };
  readonly sessionTtlMs: number;
  readonly idleMs: number;
  /** For routes that need a signed-in person: resolves request.viewer, or answers and returns null. */
  readonly requireViewer: (request: FastifyRequest, reply: FastifyReply) => Promise<Viewer | null>;
}

export const SESSION_COOKIE = 'otklik_session';
/** The CSRF secret of the forms shown before sign-in (double-submit: the cookie and the form must match). */
export const PRE_SESSION_COOKIE = 'otklik_pre';
const TOUCH_EVERY_MS = 60_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function loadAssets(): Map<string, { body: Buffer; type: string }> {
  return new Map([
    ['app.css', { body: fs.readFileSync(path.join(here, 'assets', 'app.css')), type: 'text/css; charset=utf-8' }],
    ['app.js', { body: fs.readFileSync(path.join(here, 'assets', 'app.js')), type: 'text/javascript; charset=utf-8' }],
    // Served from the npm package: no CDN, no internet at run time.
    ['htmx.min.js', { body: fs.readFileSync(require.resolve('htmx.org/dist/htmx.min.js')), type: 'text/javascript; charset=utf-8' }],
  ]);
}

export function sendPage(reply: FastifyReply, page: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page.toString());
}

export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true' && request.headers['hx-history-restore-request'] !== 'true';
}

/** Sends the browser to a page; an htmx request is told to navigate instead of swapping the answer in. */
export function goTo(request: FastifyRequest, reply: FastifyReply, url: string): FastifyReply {
  if (request.headers['hx-request'] === 'true') return reply.header('HX-Redirect', url).code(204).send();
  return reply.redirect(url, 303);
}

export function formOf(request: FastifyRequest): FormBody {
  return (request.body && typeof request.body === 'object' ? request.body : {}) as FormBody;
}

export async function buildWebApp(options: WebAppOptions): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Every page view in the log would drown what matters; commands and refusals are logged by the routes.
    logController: new LogController({ disableRequestLogging: true }),
    // Server-sent event streams stay open: a stop must not wait for them.
    forceCloseConnections: true,
    bodyLimit: 256 * 1024,
  });
  const assets = loadAssets();
  await app.register(cookie);
  await app.register(formbody);
  // Per route only (sign-in); after the body is read, so a route can key on the login typed.
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `Слишком много попыток входа. Попробуйте снова через ${context.after}.` }),
  });

  const store = options.store;
  const deps: WebDeps = {
    store,
    live: options.live,
    now,
    secureCookies: options.secureCookies ?? false,
    signInLimit: options.signInLimit ?? { max: 10, timeWindowMs: 10 * 60_000 },
    sessionTtlMs: options.sessionTtlMs ?? 12 * 3_600_000,
    idleMs: options.idleMs ?? 2 * 3_600_000,
    requireViewer: async (request, reply) => {
      const viewer = await resolveViewer(request, reply);
      if (viewer && request.method === 'POST' && !checkForm(request, reply, viewer)) return null;
      return viewer;
    },
  };

  async function resolveViewer(request: FastifyRequest, reply: FastifyReply): Promise<Viewer | null> {
    const at = now();
    const session = await currentSession(request, deps, at);
    if (!session) {
      await goTo(request, reply, '/login');
      return null;
    }
    if (!session.current) {
      await goTo(request, reply, '/tenant');
      return null;
    }
    const account = await store.account(session.current);
    // Issue 12 point 6: a deactivated person's session ends at their next request.
    if (!account || !account.active) {
      await store.deleteSession(session.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      await sendPage(reply, messagePage('Доступ прекращён', 'Ваша учётная запись отключена администратором или удалена: сессия завершена.', { href: '/login', label: 'На страницу входа' }), 403);
      return null;
    }
    if (at.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await store.updateSession(session.id, { lastSeenAt: at });
    const tenant = await store.tenant(account.tenant, at);
    const layout: LayoutViewer = {
      fullName: account.fullName, roles: account.roles, tenantTitle: tenant.title, csrfToken: session.csrfToken,
      severalTenants: session.accounts.length > 1,
      canDashboard: account.roles.includes('head') || account.roles.includes('curator'),
      canTemplates: account.roles.includes('curator'),
    };
    return { session, account, tenant, clock: clockFor(tenant.profile, tenant.calendar), visibility: visibilityOf(account, tenant.staff, at), layout };
  }

  /** Every change: the session's CSRF token, and the tenant the form was drawn for. */
  function checkForm(request: FastifyRequest, reply: FastifyReply, viewer: Viewer): boolean {
    const body = formOf(request);
    if (!sameSecret(field(body, '_csrf') || undefined, viewer.session.csrfToken)) {
      request.log.warn({ url: request.url, who: viewer.account.code }, 'web: a form without a valid CSRF token refused');
      void sendPage(reply, messagePage('Форма не принята', 'Форма пришла без проверочного кода этого окна (защита от подделки запросов). Ничего не изменено: откройте страницу заново и повторите.', { href: '/inbox', label: 'К обращениям' }), 403);
      return false;
    }
    const tenant = field(body, 'tenant');
    if (tenant !== '' && tenant !== viewer.account.tenant) {
      request.log.warn({ url: request.url, who: viewer.account.code, formTenant: tenant, sessionTenant: viewer.account.tenant }, 'web: a form of another tenant refused');
      void sendPage(reply, messagePage('Форма не принята', 'Форма относится к другой администрации, чем та, с которой вы сейчас работаете (выбор сменили в другом окне?). Ничего не изменено: откройте карточку заново.', { href: '/inbox', label: 'К обращениям' }), 403);
      return false;
    }
    return true;
  }

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    // The sign-in link's token is in a URL: never sent on to another site.
    reply.header('Referrer-Policy', 'no-referrer');
    if (!request.url.startsWith('/assets/')) {
      // Pages hold citizens' personal data: not kept in caches.
      reply.header('Cache-Control', 'no-store');
      reply.header('Content-Security-Policy', "default-src 'self'; img-src 'self' https: http: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    }
    return payload;
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    if (error.statusCode === 429) {
      return sendPage(reply, signInPage({ csrf: request.cookies[PRE_SESSION_COOKIE] ?? '', error: error.message }), 429);
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendPage(reply, messagePage('Запрос не принят', 'Страница получила запрос, который не может обработать. Откройте её заново.', { href: '/inbox', label: 'К обращениям' }), error.statusCode);
    }
    request.log.error({ err: error, url: request.url }, 'web: request failed');
    return sendPage(reply, messagePage('Ошибка', 'Не удалось выполнить запрос: хранилище недоступно или произошла внутренняя ошибка. Попробуйте ещё раз через минуту; если повторится — сообщите администратору.'), 500);
  });

  app.setNotFoundHandler(async (_request, reply) => sendPage(reply, messagePage('Страница не найдена', 'Такой страницы в рабочем месте нет.', { href: '/inbox', label: 'К обращениям' }), 404));

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('Cache-Control', 'public, max-age=3600').send(asset.body);
  });

  app.get('/', async (request, reply) => goTo(request, reply, '/inbox'));
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  registerSignInRoutes(app, deps);
  registerInboxRoutes(app, deps);
  registerCardRoutes(app, deps);
  registerTemplateRoutes(app, deps);
  registerTopicRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerEventRoutes(app, deps);
  return app;
}

/** The session of the request's cookie, if it exists and has not run out. */
export async function currentSession(request: FastifyRequest, deps: Pick<WebDeps, 'store' | 'idleMs'>, at: Date): Promise<WebSession | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await deps.store.findSession(tokenId(token));
  if (!session) return null;
  if (session.expiresAt.getTime() <= at.getTime() || session.lastSeenAt.getTime() + deps.idleMs <= at.getTime()) {
    await deps.store.deleteSession(session.id);
    return null;
  }
  return session;
}
