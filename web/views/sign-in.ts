import { html, type Html } from '../html.js';
import { page } from './layout.js';

export function signInPage(input: { csrf: string; login?: string; error?: string | null; notice?: string | null; botName?: string | null }): Html {
  return page(
    { title: 'Вход', error: input.error ?? null, notice: input.notice ?? null },
    html`<section class="sign-in">
<h1>Вход в рабочее место</h1>
<p>Сотрудники с Telegram: отправьте боту сотрудников команду <code>/login</code> — он пришлёт одноразовую ссылку для входа.</p>
<form method="post" action="/login" class="stack">
  <input type="hidden" name="_csrf" value="${input.csrf}">
  <label>Логин <input name="login" autocomplete="username" required value="${input.login ?? ''}"></label>
  <label>Пароль <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit" class="primary">Войти</button>
</form>
<p class="hint">Пароль выдаёт администратор системы (<code>otklik staff password</code>). Данные обращений содержат персональные данные граждан: каждый просмотр карточки записывается в журнал.</p>
</section>`,
  );
}

/** A link from the bot is opened with a button: link previews (Telegram fetches links it shows) must not spend it. */
export function signInLinkPage(input: { csrf: string; token: string }): Html {
  return page(
    { title: 'Вход по ссылке' },
    html`<section class="sign-in">
<h1>Вход по ссылке из Telegram</h1>
<form method="post" action="/login/link/${input.token}" class="stack">
  <input type="hidden" name="_csrf" value="${input.csrf}">
  <button type="submit" class="primary">Войти</button>
</form>
<p class="hint">Ссылка действует один раз и 15 минут. Если она уже не действует, отправьте боту <code>/login</code> ещё раз.</p>
</section>`,
  );
}

export function chooseTenantPage(input: { csrf: string; choices: ReadonlyArray<{ tenant: string; title: string; fullName: string }>; error?: string | null }): Html {
  return page(
    { title: 'Выбор администрации', error: input.error ?? null },
    html`<section class="sign-in">
<h1>С какой администрацией вы работаете?</h1>
<p>Вы зарегистрированы в нескольких. Сменить выбор можно в любой момент по ссылке «сменить» вверху страницы.</p>
${input.choices.map((c) => html`<form method="post" action="/tenant" class="choice">
  <input type="hidden" name="_csrf" value="${input.csrf}">
  <input type="hidden" name="tenant" value="${c.tenant}">
  <button type="submit">${c.title}</button> <span class="hint">${c.fullName}</span>
</form>`)}
</section>`,
  );
}

export function messagePage(title: string, text: string, link?: { href: string; label: string }): Html {
  return page({ title }, html`<section class="sign-in"><h1>${title}</h1><p>${text}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}</section>`);
}
