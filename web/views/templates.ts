import { attr, html, type Html } from '../html.js';
import { localTime } from '../format.js';
import type { CannedAnswer, TenantContext } from '../ports.js';
import { page, type LayoutViewer } from './layout.js';

export interface TemplatesView {
  readonly viewer: LayoutViewer;
  readonly tenant: TenantContext;
  readonly list: readonly CannedAnswer[];
  readonly editing: CannedAnswer | null;
  readonly notice?: string | null;
  readonly error?: string | null;
  readonly values?: { title: string; text: string; topic: string } | null;
}

function editor(v: TemplatesView): Html {
  const e = v.editing;
  const val = v.values ?? { title: e?.title ?? '', text: e?.text ?? '', topic: e?.topic ?? '' };
  return html`<form method="post" action="/templates" class="stack template-editor">
<input type="hidden" name="_csrf" value="${v.viewer.csrfToken}">
<input type="hidden" name="tenant" value="${v.tenant.tenant}">
${e ? html`<input type="hidden" name="id" value="${e.id}">` : ''}
<h2>${e ? 'Изменить шаблон' : 'Новый шаблон'}</h2>
<label>Название<input name="title" required maxlength="200" value="${val.title}"></label>
<label>Тема<select name="topic"><option value=""${attr('selected', val.topic === '')}>для любой темы</option>${v.tenant.topics.map((t) => html`<option value="${t}"${attr('selected', t === val.topic)}>${t}</option>`)}</select></label>
<label>Текст<textarea name="text" rows="6" required maxlength="10000">${val.text}</textarea></label>
<button type="submit" class="primary">Сохранить</button>${e ? html` <a href="/templates">отмена</a>` : ''}
</form>`;
}

export function templatesPage(v: TemplatesView): Html {
  return page(
    { title: 'Шаблоны ответов', viewer: v.viewer, section: 'templates', notice: v.notice ?? null, error: v.error ?? null },
    html`<h1>Шаблоны ответов</h1>
<p class="hint">Исполнители вставляют шаблон в проект ответа и дописывают своё. Шаблон темы предлагается в обращениях этой темы, общий — во всех.</p>
<div class="columns"><div class="col-main">
${v.list.length === 0 ? html`<p>Шаблонов пока нет.</p>` : html`<ul class="templates">${v.list.map((t) => html`<li>
<h3>${t.title} <small>${t.topic ?? 'любая тема'}</small></h3>
<blockquote>${t.text}</blockquote>
<p class="hint">${t.updatedBy}, ${localTime(t.updatedAt, v.tenant.timeZone)} · <a href="/templates?edit=${t.id}">изменить</a></p>
<form method="post" action="/templates/${t.id}/delete" class="inline"><input type="hidden" name="_csrf" value="${v.viewer.csrfToken}"><input type="hidden" name="tenant" value="${v.tenant.tenant}"><button type="submit" class="danger">Удалить</button></form>
</li>`)}</ul>`}
</div><div class="col-side">${editor(v)}</div></div>`,
  );
}
