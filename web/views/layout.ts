import { html, type Html, type HtmlValue } from '../html.js';

export interface LayoutViewer {
  readonly fullName: string;
  readonly roles: readonly string[];
  readonly tenantTitle: string;
  readonly csrfToken: string;
  /** The person may switch to another tenant. */
  readonly severalTenants: boolean;
  readonly canDashboard: boolean;
  readonly canTemplates: boolean;
}

const ROLE_NAMES: Readonly<Record<string, string>> = { curator: 'куратор', executor: 'исполнитель', head: 'руководитель', admin: 'администратор' };

export interface PageOptions {
  readonly title: string;
  readonly viewer?: LayoutViewer | null;
  /** Which nav item is current. */
  readonly section?: 'inbox' | 'dashboard' | 'templates' | 'topics' | 'card';
  readonly notice?: string | null;
  readonly error?: string | null;
  /** Subscribe the page to live updates (server-sent events). */
  readonly live?: boolean;
}

export function messageBoxes(notice: string | null | undefined, error: string | null | undefined): Html {
  return html`${notice ? html`<div class="notice" role="status">${notice}</div>` : ''}${error ? html`<div class="error" role="alert">${error}</div>` : ''}`;
}

export function page(options: PageOptions, body: HtmlValue): Html {
  const v = options.viewer;
  const nav = (href: string, label: string, key: PageOptions['section']) =>
    html`<a href="${href}"${options.section === key ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"historyCacheSize":0}'>
<title>${options.title} · Отклик</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/htmx.min.js" defer></script>
<script src="/assets/app.js" defer></script>
</head>
<body${options.live ? html` data-live="/events"` : ''}>
<header class="top">
  <a class="brand" href="/inbox">Отклик</a>
  ${v
    ? html`<span class="tenant">${v.tenantTitle}${v.severalTenants ? html` · <a href="/tenant">сменить</a>` : ''}</span>
  <nav>${nav('/inbox', 'Обращения', 'inbox')}${v.canDashboard ? nav('/dashboard', 'Сводка', 'dashboard') : ''}${v.canTemplates ? nav('/templates', 'Шаблоны ответов', 'templates') : ''}${nav('/topics', 'Рубрикатор тем', 'topics')}</nav>
  <span class="who">${v.fullName} · ${v.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ')}</span>
  <form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${v.csrfToken}"><button type="submit">Выйти</button></form>`
    : ''}
</header>
<main>
${messageBoxes(options.notice, options.error)}
<div id="live-banner" class="live-banner" role="alert" hidden></div>
<div id="live-presence" class="presence" hidden></div>
${body}
</main>
</body>
</html>`;
}
