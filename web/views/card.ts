import { DRAFT_KIND_LABELS, type DraftKind } from '../../workflow/draft-check.js';
import type { DraftRecord } from '../../workflow/incident-machine.js';
import { ABSENCE_LABELS, COMMAND_LABELS, EXPLANATION_GROUND_LABELS, REJECT_REASON_LABELS, STATE_LABELS, STEP_LABELS } from '../../workflow/labels.js';
import { absenceAt } from '../../workflow/routing.js';
import type { WorkingClock } from '../../workflow/terms.js';
import { field, type FormBody, type WebCommandType } from '../commands.js';
import { IMPORTANCE_LABELS, localInput, localTime, NETWORK_LABELS } from '../format.js';
import { attr, escapeHtml, html, raw, type Html, type HtmlValue } from '../html.js';
import type { CannedAnswer, IncidentCard, ReadEntry, StaffAccount, TenantContext } from '../ports.js';
import { timeLeft } from '../time-left.js';
import { guideEntry, NO_GUIDE_ENTRY } from '../topic-guide.js';
import { page, type LayoutViewer } from './layout.js';

export interface CardView {
  readonly viewer: LayoutViewer;
  readonly account: StaffAccount;
  readonly tenant: TenantContext;
  readonly clock: WorkingClock;
  readonly now: Date;
  readonly card: IncidentCard;
  readonly actions: readonly WebCommandType[];
  /** The read register, for curators and the head; null for others. */
  readonly reads: readonly ReadEntry[] | null;
  readonly otherViewers: readonly string[];
  readonly canned: readonly CannedAnswer[];
  /** A fresh id for the next draft: a form sent twice is refused as the same draft. */
  readonly draftId: string;
  readonly notice?: string | null;
  readonly error?: string | null;
  /** What the person typed into a form that was refused, so nothing is lost. */
  readonly form?: { readonly command: string; readonly values: FormBody } | null;
}

// ---------------------------------------------------------------------------------------
// Pieces

const fold = (s: string) => s.toLowerCase().replace(/ё/g, 'е');

/** The message with the classifier's evidence words marked (case and ё/е ignored). */
export function highlight(text: string, words: readonly string[]): Html {
  const folded = fold(text);
  const ranges: Array<[number, number]> = [];
  for (const w of words) {
    const needle = fold(w.trim());
    if (needle.length < 2) continue;
    for (let i = folded.indexOf(needle); i !== -1; i = folded.indexOf(needle, i + needle.length)) ranges.push([i, i + needle.length]);
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [from, to] of ranges) {
    if (from < at) continue;
    out += `${escapeHtml(text.slice(at, from))}<mark>${escapeHtml(text.slice(from, to))}</mark>`;
    at = to;
  }
  return raw(out + escapeHtml(text.slice(at)));
}

function staffName(code: string | null, tenant: TenantContext): string {
  if (code === null) return '—';
  if (code.startsWith('system:')) return `система (${code.slice(7)})`;
  return tenant.staff.find((s) => s.code === code)?.fullName ?? code;
}

function deptName(code: string, tenant: TenantContext): string {
  return tenant.departments.find((d) => d.code === code)?.name ?? code;
}

function option(value: string, label: string, current: string): Html {
  return html`<option value="${value}"${attr('selected', value === current)}>${label}</option>`;
}

/** A topic with its guide: the covers as a tooltip, and both texts for the box under the select (app.js). */
function topicOption(topic: string, current: string): Html {
  const entry = guideEntry(topic);
  return html`<option value="${topic}" title="${entry?.covers ?? NO_GUIDE_ENTRY}" data-covers="${entry?.covers ?? NO_GUIDE_ENTRY}" data-not-here="${entry?.notHere ?? ''}"${attr('selected', topic === current)}>${topic}</option>`;
}

/**
 * What the chosen topic covers and what does not belong there, under the select: rendered
 * for the topic the form opens with (so it is there without JavaScript), then kept in step
 * with the select by app.js.
 */
function topicGuide(topic: string, suggested: string | null): Html {
  const entry = topic ? guideEntry(topic) : null;
  return html`<div id="topic-guide" class="topic-guide" aria-live="polite" data-suggested="${suggested ?? ''}">
<p class="guide-covers"><strong class="guide-topic">${topic || 'Тема не выбрана'}</strong> <span class="hint guide-suggested"${attr('hidden', !topic || topic !== suggested)}>(предложена классификатором)</span>: <span class="guide-text">${topic ? entry?.covers ?? NO_GUIDE_ENTRY : 'выберите тему — здесь появится, что она охватывает.'}</span></p>
<p class="guide-not-here"${attr('hidden', !entry)}><strong>Не сюда:</strong> <span class="guide-text">${entry?.notHere ?? ''}</span></p>
<p class="hint">Тема — это кто решает вопрос, а не насколько он опасен. <a href="/topics" target="_blank" rel="noopener">Рубрикатор тем</a></p>
</div>`;
}

function isImage(a: { type: string; url: string }): boolean {
  return /^https?:\/\//.test(a.url) && (a.type === 'photo' || /\.(jpe?g|png|gif|webp)(\?|$)/i.test(a.url));
}

function attachments(list: readonly { type: string; url: string }[]): Html {
  if (list.length === 0) return html``;
  return html`<ul class="attachments">${list.map((a) =>
    isImage(a)
      ? html`<li><a href="${a.url}" target="_blank" rel="noopener noreferrer"><img src="${a.url}" alt="Вложение: ${a.type}" loading="lazy" referrerpolicy="no-referrer"></a></li>`
      : /^https?:\/\//.test(a.url)
        ? html`<li><a href="${a.url}" target="_blank" rel="noopener noreferrer">${a.type || 'вложение'}</a></li>`
        : html`<li>${a.type || 'вложение'}: <code>${a.url}</code></li>`)}</ul>`;
}

// ---------------------------------------------------------------------------------------
// Forms

interface FormContext {
  readonly v: CardView;
  /** A refused form's values, when this is the form that was refused. */
  readonly values: FormBody | null;
}

function formFor(ctx: FormContext, command: WebCommandType, body: HtmlValue, options: { label?: string; cls?: string; primary?: boolean } = {}): Html {
  const { v } = ctx;
  const i = v.card.incident;
  return html`<form method="post" action="/incidents/${i.number}/commands/${command}" class="action ${options.cls ?? ''}" data-command="${command}">
<input type="hidden" name="_csrf" value="${v.viewer.csrfToken}">
<input type="hidden" name="tenant" value="${v.tenant.tenant}">
<input type="hidden" name="state" value="${i.state}">
<input type="hidden" name="version" value="${i.version}">
${body}
<button type="submit"${options.primary ? html` class="primary"` : ''}>${options.label ?? COMMAND_LABELS[command]}</button>
</form>`;
}

function kept(ctx: FormContext, name: string, fallback = ''): string {
  return ctx.values ? field(ctx.values, name) : fallback;
}

function commentField(ctx: FormContext, label: string, name = 'comment', requiredField = true): Html {
  return html`<label>${label}<textarea name="${name}" rows="2"${attr('required', requiredField)}>${kept(ctx, name)}</textarea></label>`;
}

function executorOptions(v: CardView, current: string): Html {
  const executors = v.tenant.staff.filter((s) => s.active && s.roles.includes('executor'));
  return html`${executors.map((s) => {
    const away = absenceAt(s, v.now);
    const note = [s.department ? deptName(s.department, v.tenant) : null, away ? `отсутствует (${ABSENCE_LABELS[away.reason]}) до ${localTime(away.to, v.tenant.timeZone)}${s.deputy ? `, замещает ${staffName(s.deputy, v.tenant)}` : ''}` : null].filter(Boolean).join('; ');
    return option(s.code, `${s.fullName}${note ? ` — ${note}` : ''}`, current);
  })}`;
}

function routeForm(ctx: FormContext): Html {
  const { v } = ctx;
  const i = v.card.incident;
  const verdict = i.verdict;
  const topic = kept(ctx, 'topic', i.topic ?? verdict?.topic?.value ?? '');
  // The departments already set, the earlier incident's for a repeat (001 [19]), else the one whose topics include this one.
  const byTopic = v.tenant.departments.filter((d) => (v.tenant.departmentTopics[d.code] ?? []).includes(topic)).map((d) => d.code).slice(0, 1);
  const suggested = i.departments.length > 0 ? i.departments : v.card.earlier?.departments.length ? v.card.earlier.departments : byTopic;
  const dept = (n: number) => kept(ctx, `department${n}`, suggested[n - 1] ?? '');
  const departmentSelect = (n: number) => html`<label>${n}-е подразделение<select name="department${n}"${attr('required', n === 1)}>
${option('', n === 1 ? 'выберите' : '—', dept(n))}${v.tenant.departments.map((d) => option(d.code, d.name, dept(n)))}</select></label>`;
  return formFor(ctx, 'confirm-and-route', html`
<div class="grid">
<label>Тема<select name="topic" required aria-describedby="topic-guide" data-guide>${option('', 'выберите', topic)}${[...new Set([...(topic ? [topic] : []), ...v.tenant.topics])].map((t) => topicOption(t, topic))}</select></label>
<label>Место<input name="location" value="${kept(ctx, 'location', i.location ?? verdict?.location?.value ?? '')}" placeholder="улица, дом, населённый пункт"></label>
<label>Важность<select name="importance">${option('normal', IMPORTANCE_LABELS.normal, kept(ctx, 'importance', i.importance))}${option('high', `${IMPORTANCE_LABELS.high} (социально значимое)`, kept(ctx, 'importance', i.importance))}</select></label>
${departmentSelect(1)}${departmentSelect(2)}${departmentSelect(3)}
<label>Исполнитель<select name="assignee">${option('', 'по очереди подразделения (при отсутствии — заместитель)', kept(ctx, 'assignee'))}${executorOptions(v, kept(ctx, 'assignee'))}</select></label>
</div>
${topicGuide(topic, verdict?.topic?.value ?? null)}
<p class="hint">Подразделения работают в указанном порядке (001 [21]); повторное обращение направляется в то же подразделение (001 [19]).</p>`, { primary: true });
}

function draftForm(ctx: FormContext): Html {
  const { v } = ctx;
  const i = v.card.incident;
  const kind = (kept(ctx, 'kind', i.state === 'awaiting-final' ? 'answer' : 'answer') || 'answer') as DraftKind;
  const explanations = v.tenant.profile.steps.explanation.normal !== null;
  const kinds: DraftKind[] = ['answer', 'interim', 'clarification', ...(explanations ? ['explanation' as const] : [])];
  const templates = v.canned.filter((c) => c.topic === null || c.topic === i.topic);
  return formFor(ctx, 'submit-draft', html`
<input type="hidden" name="draftId" value="${kept(ctx, 'draftId', v.draftId)}">
<fieldset class="kinds"><legend>Вид проекта</legend>
${kinds.map((k) => html`<label class="inline"><input type="radio" name="kind" value="${k}"${attr('checked', k === kind)}> ${DRAFT_KIND_LABELS[k]}</label>`)}
</fieldset>
<label>Дата окончательного ответа (для промежуточного ответа, 001 [15])<input type="date" name="promisedBy" value="${kept(ctx, 'promisedBy')}"></label>
${explanations ? html`<label>Основание разъяснения (004 [3.7])<select name="ground">${option('', '—', kept(ctx, 'ground'))}${Object.entries(EXPLANATION_GROUND_LABELS).map(([k, l]) => option(k, l, kept(ctx, 'ground')))}</select></label>` : ''}
${templates.length > 0
    ? html`<div class="template-pick"><label>Шаблон ответа<select name="template">${templates.map((t) => option(t.id, `${t.title}${t.topic ? ` (${t.topic})` : ''}`, kept(ctx, 'template')))}</select></label>
<button type="submit" formaction="/incidents/${i.number}/template" formnovalidate hx-post="/incidents/${i.number}/template" hx-target="#draft-text" hx-swap="outerHTML">Вставить шаблон</button></div>`
    : html`<p class="hint">Шаблонов ответов пока нет${v.account.roles.includes('curator') ? html`: <a href="/templates">добавить</a>` : ': их добавляет куратор'}.</p>`}
${draftTextarea(kept(ctx, 'text'))}`, { primary: true });
}

export function draftTextarea(text: string): Html {
  return html`<textarea id="draft-text" name="text" rows="8" required placeholder="Текст для автора: кратко, по существу, без канцелярита">${text}</textarea>`;
}

function actionForm(ctx: FormContext, command: WebCommandType): Html {
  const { v } = ctx;
  const i = v.card.incident;
  const last = i.drafts[i.drafts.length - 1];
  switch (command) {
    case 'confirm-and-route':
      return routeForm(ctx);
    case 'reject':
      return formFor(ctx, command, html`<label>Основание<select name="reason" required>${Object.entries(REJECT_REASON_LABELS).map(([k, l]) => option(k, l, kept(ctx, 'reason', i.verdict?.reasonCode ?? 'competence')))}</select></label>
${commentField(ctx, 'Комментарий (для «иной причины» — обязательно)', 'comment', false)}`, { cls: 'danger' });
    case 'overturn':
      return formFor(ctx, command, commentField(ctx, 'Почему отклонение отменяется'));
    case 'link-repeat':
      return formFor(ctx, command, html`<label>Номер прежнего обращения<input name="earlier" inputmode="numeric" required value="${kept(ctx, 'earlier')}"></label>`);
    case 'unlink-repeat':
      return formFor(ctx, command, commentField(ctx, `Почему это не повтор обращения № ${i.repeatOf ?? ''}`));
    case 'reassign':
      return formFor(ctx, command, html`<label>Новый исполнитель<select name="assignee" required>${option('', 'выберите', kept(ctx, 'assignee'))}${executorOptions(v, kept(ctx, 'assignee'))}</select></label>
${commentField(ctx, 'Причина передачи')}`);
    case 'take':
      return formFor(ctx, command, '', { primary: true });
    case 'pass-on':
      return formFor(ctx, command, commentField(ctx, 'Что сделало ваше подразделение (увидит следующее, 001 [21])', 'note'));
    case 'return-not-competent':
      return formFor(ctx, command, commentField(ctx, 'Почему не в компетенции вашего подразделения и чьё это (001 [11])'), { label: 'Не в компетенции — вернуть куратору', cls: 'danger' });
    case 'submit-draft':
      return draftForm(ctx);
    case 'approve':
      return formFor(ctx, command, '', { primary: true });
    case 'edit-and-approve':
      return formFor(ctx, command, html`<label>Исправленный текст (будет опубликован он, 001 [18])<textarea name="text" rows="6" required>${kept(ctx, 'text', last?.text ?? '')}</textarea></label>
${commentField(ctx, 'Комментарий', 'comment', false)}`);
    case 'return-for-rework':
      return formFor(ctx, command, commentField(ctx, 'Что доработать (001 [14])'), { cls: 'danger' });
    case 'set-promised-date':
      return formFor(ctx, command, html`<label>Окончательный ответ будет дан до<input type="date" name="promisedBy" required value="${kept(ctx, 'promisedBy', last?.promisedBy ? localInput(last.promisedBy, v.tenant.timeZone).slice(0, 10) : '')}"></label>`);
    case 'set-public-interest': {
      const on = i.publication.publicInterest === true;
      return formFor(ctx, command, html`<input type="hidden" name="publicInterest" value="${on ? 'no' : 'yes'}">
<p class="hint">${on ? 'Ответ отмечен как представляющий общий интерес: после публикации его также размещают на официальных страницах и сайте (004 [3.5]).' : 'Ответ представляет общий интерес (планы, объявления, режим работы)? Тогда после публикации его также размещают на официальных страницах и сайте (004 [3.5]).'}</p>`,
        { label: on ? 'Снять отметку об общем интересе' : 'Отметить: ответ представляет общий интерес' });
    }
    case 'resolve-delivery':
      return formFor(ctx, command, html`<p class="warn">Система не смогла установить, дошёл ли ответ${i.publication.manualCheck ? `: ${i.publication.manualCheck.reason}` : ''}. Проверьте в сети и отметьте, что установлено; повторно система ответ не отправит.</p>
<label>Что установлено<select name="outcome" required>${option('', 'выберите', kept(ctx, 'outcome'))}${option('public', 'ответ опубликован в том же месте', kept(ctx, 'outcome'))}${option('private', 'ответ отправлен личным сообщением', kept(ctx, 'outcome'))}${option('no-channel', '«Готово»: нет технической возможности ответить', kept(ctx, 'outcome'))}</select></label>
${commentField(ctx, 'Что проверено (например: «ответ виден под постом, опубликован вручную»)')}`, { primary: true });
    case 'close-no-reply':
      return formFor(ctx, command, commentField(ctx, 'Почему закрывается без ответа автора'), { cls: 'danger' });
    case 'resume-without-reply':
      return formFor(ctx, command, commentField(ctx, 'Что ответить исполнителю по имеющимся сведениям'));
    case 'convert-to-appeal':
      return formFor(ctx, command, html`<div class="grid">
<label>Согласие автора получено<input type="datetime-local" name="consentAt" required value="${kept(ctx, 'consentAt', localInput(v.now, v.tenant.timeZone))}"></label>
<label>Как получено<input name="consentHow" required placeholder="например: ответ автора в личных сообщениях" value="${kept(ctx, 'consentHow')}"></label>
<label>Рег. номер в СЭД (если уже есть)<input name="registration" value="${kept(ctx, 'registration')}"></label>
</div><p class="hint">004 [3.8]: только с согласия автора; дальше — сроки 59-ФЗ в системе документооборота.</p>`);
  }
}

/** Forms in the order a person looks for them; rarely used ones fold away. */
const MAIN: readonly WebCommandType[] = ['confirm-and-route', 'take', 'submit-draft', 'approve', 'edit-and-approve', 'return-for-rework', 'resolve-delivery', 'overturn'];

function actionsSection(v: CardView): Html {
  if (v.actions.length === 0) return html`<section class="actions"><h2>Действия</h2><p class="hint">${v.account.roles.includes('head') && !v.account.roles.includes('curator') ? 'Руководитель видит обращение; решения принимают куратор и исполнитель.' : 'Сейчас ваших действий по этому обращению нет.'}</p></section>`;
  const ctxFor = (command: WebCommandType): FormContext => ({ v, values: v.form?.command === command ? v.form.values : null });
  const main = v.actions.filter((a) => MAIN.includes(a));
  const more = v.actions.filter((a) => !MAIN.includes(a));
  return html`<section class="actions"><h2>Действия</h2>
${main.map((a) => html`<div class="action-box"><h3>${COMMAND_LABELS[a]}</h3>${actionForm(ctxFor(a), a)}</div>`)}
${more.map((a) => html`<details class="action-box"${attr('open', v.form?.command === a)}><summary>${a === 'return-not-competent' ? '«Не в компетенции»' : COMMAND_LABELS[a]}</summary>${actionForm(ctxFor(a), a)}</details>`)}
</section>`;
}

// ---------------------------------------------------------------------------------------
// Sections

function verdictSection(v: CardView): Html {
  const verdict = v.card.incident.verdict;
  if (!verdict) return html``;
  const rejection = v.card.incident.rejection;
  return html`<section class="verdict"><h2>Предложение классификатора</h2><ul>
${verdict.rejected ? html`<li class="warn">Отклонить: ${verdict.reason ?? ''}${verdict.evidence.length ? html` — по словам ${verdict.evidence.map((e, k) => html`${k > 0 ? ', ' : ''}<mark>${e}</mark>`)}` : ''}</li>` : ''}
${verdict.otherReasons.map((r) => html`<li>Также: ${r.reason}${r.evidence.length ? html` — ${r.evidence.map((e, k) => html`${k > 0 ? ', ' : ''}<mark>${e}</mark>`)}` : ''}</li>`)}
${verdict.topic ? html`<li>Тема: ${verdict.topic.value} (уверенность ${Math.round(verdict.topic.confidence * 100)} %)</li>` : ''}
${verdict.location ? html`<li>Место: ${verdict.location.value} — по словам «<mark>${verdict.location.evidence}</mark>»</li>` : ''}
${verdict.importance ? html`<li>Важность: ${IMPORTANCE_LABELS[verdict.importance.value]}${verdict.importance.reason ? ` — ${verdict.importance.reason}` : ''}</li>` : ''}
${verdict.competence ? html`<li>Возможно, вне компетенции: ${verdict.competence.area} — ${verdict.competence.evidence.map((e, k) => html`${k > 0 ? ', ' : ''}<mark>${e}</mark>`)}</li>` : ''}
${verdict.repeatOf ? html`<li>Похоже на обращение <a href="/incidents/${verdict.repeatOf.incidentId}">№ ${verdict.repeatOf.incidentId}</a></li>` : ''}
${verdict.languageNote ? html`<li>${verdict.languageNote}</li>` : ''}
</ul>${rejection ? html`<p class="warn">Отклонено куратором (${staffName(rejection.by, v.tenant)}): ${rejection.label}${rejection.comment ? `: ${rejection.comment}` : ''}</p>` : ''}</section>`;
}

function evidenceWords(v: CardView): string[] {
  const verdict = v.card.incident.verdict;
  if (!verdict) return [];
  return [...verdict.evidence, ...verdict.otherReasons.flatMap((r) => r.evidence), ...(verdict.competence?.evidence ?? []), ...(verdict.location ? [verdict.location.evidence] : [])];
}

function messageSection(v: CardView): Html {
  const m = v.card.message;
  if (!m) return html`<section class="message"><p class="warn">Сообщение не найдено в хранилище.</p></section>`;
  const a = m.author;
  return html`<section class="message">
<p class="meta">${NETWORK_LABELS[m.network] ?? m.network} · ${localTime(m.postedAt, v.tenant.timeZone)}${m.url ? html` · <a href="${m.url}" target="_blank" rel="noopener noreferrer">оригинал</a>` : ''}</p>
<p class="author">${a.anonymous ? 'Анонимный автор' : html`Автор: ${a.profileUrl ? html`<a href="${a.profileUrl}" target="_blank" rel="noopener noreferrer">${a.name || a.id}</a>` : a.name || a.id}`} <small class="hint">(персональные данные: просмотр записан в журнал)</small></p>
<blockquote class="text">${highlight(m.text, evidenceWords(v))}</blockquote>
${attachments(m.attachments)}
</section>`;
}

function draftView(d: DraftRecord, v: CardView): Html {
  const decision = d.decision === 'approved' ? 'согласован' : d.decision === 'returned' ? 'возвращён на доработку' : d.decision === 'edited' ? 'исправлен куратором' : d.reviewedAt ? 'рассмотрен' : 'на согласовании';
  return html`<article class="draft decision-${d.decision ?? 'pending'}">
<header>${DRAFT_KIND_LABELS[d.kind]} · ${staffName(d.author, v.tenant)} · ${localTime(d.submittedAt, v.tenant.timeZone)} · <strong>${decision}</strong></header>
${d.ground ? html`<p class="hint">Основание разъяснения: ${EXPLANATION_GROUND_LABELS[d.ground]}</p>` : ''}
${d.promisedBy ? html`<p class="hint">Окончательный ответ обещан до ${localTime(d.promisedBy, v.tenant.timeZone)}</p>` : ''}
<blockquote>${d.text}</blockquote>
${attachments(d.attachments)}
${d.findings.length ? html`<div class="findings"><strong>Замечания проверки</strong><ul>${d.findings.map((f) => html`<li>${f.replace(/^[a-z-]+: /, '')}</li>`)}</ul></div>` : ''}
${d.reviewComment ? html`<p class="review">Куратор (${staffName(d.reviewedBy, v.tenant)}): ${d.reviewComment}</p>` : ''}
</article>`;
}

function deadlinesSection(v: CardView): Html {
  const list = v.card.incident.deadlines;
  if (list.length === 0) return html``;
  const nowMs = v.now.getTime();
  return html`<section><h2>Сроки</h2><table class="deadlines"><thead><tr><th>Этап</th><th>Срок</th><th>Ответственный</th><th>Состояние</th></tr></thead><tbody>
${[...list].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()).map((d) => {
    const status = d.metAt
      ? d.metAt.getTime() <= d.dueAt.getTime() ? 'выполнен в срок' : 'выполнен с нарушением срока'
      : d.conditional ? 'если потребуется' : timeLeft(v.clock, nowMs, d.dueAt.getTime()).text;
    const cls = d.metAt ? (d.metAt.getTime() <= d.dueAt.getTime() ? 'met' : 'late') : d.conditional ? 'muted' : d.dueAt.getTime() < nowMs ? 'overdue' : 'open';
    return html`<tr class="${cls}"><td>${STEP_LABELS[d.step]}${d.clause ? html`<small>${d.clause}</small>` : ''}</td><td>${localTime(d.dueAt, v.tenant.timeZone)}</td><td>${d.responsible ? staffName(d.responsible, v.tenant) : 'куратор'}</td><td>${status}</td></tr>`;
  })}
</tbody></table></section>`;
}

function historySection(v: CardView): Html {
  return html`<section><h2>История</h2><ol class="history">${v.card.incident.history.map((h) => html`<li><time>${localTime(h.at, v.tenant.timeZone)}</time> · ${staffName(h.who, v.tenant)} · ${h.from && h.from !== h.to ? html`${STATE_LABELS[h.from as keyof typeof STATE_LABELS] ?? h.from} → ` : ''}${STATE_LABELS[h.to as keyof typeof STATE_LABELS] ?? h.to}<br><span>${h.why}</span></li>`)}</ol></section>`;
}

function publicationSection(v: CardView): Html {
  const p = v.card.incident.publication;
  if (p.attempts.length === 0 && !p.outcome && !p.publicInterest) return html``;
  return html`<section><h2>Публикация</h2>
${p.outcomeLabel ? html`<p>${p.outcomeLabel}</p>` : ''}
${p.publicInterest ? html`<p class="notice">Ответ представляет общий интерес: разместить также на официальных страницах и сайте (004 [3.5]).</p>` : ''}
${p.attempts.length ? html`<ul>${p.attempts.map((a) => html`<li>${localTime(a.startedAt, v.tenant.timeZone)} · ${a.channel === 'private' ? 'личное сообщение' : 'ответ в том же месте'} · ${a.outcome ?? 'без результата'}${a.error ? html` · <small>${a.error}</small>` : ''}</li>`)}</ul>` : ''}
</section>`;
}

function readsSection(v: CardView): Html {
  if (!v.reads) return html``;
  return html`<section><h2>Журнал просмотров</h2><p class="hint">Кто открывал карточку (152-ФЗ): последние ${v.reads.length}.</p>
<ul class="reads">${v.reads.map((r) => html`<li>${localTime(r.at, v.tenant.timeZone)} · ${staffName(r.who, v.tenant)}${r.personalData ? '' : ' (без данных автора)'}</li>`)}</ul></section>`;
}

function summary(v: CardView): Html {
  const i = v.card.incident;
  const next = i.nextDueAt ? timeLeft(v.clock, v.now.getTime(), i.nextDueAt.getTime()) : null;
  const current = i.departments[i.departmentIndex ?? 0];
  return html`<dl class="summary">
<div><dt>Состояние</dt><dd><span class="state state-${i.state}">${STATE_LABELS[i.state]}</span></dd></div>
<div><dt>Тема</dt><dd>${i.topic ?? '—'}</dd></div>
<div><dt>Место</dt><dd>${i.location ?? '—'}</dd></div>
<div><dt>Важность</dt><dd>${i.importance === 'high' ? html`<span class="badge high">${IMPORTANCE_LABELS.high}</span>` : IMPORTANCE_LABELS.normal}</dd></div>
<div><dt>Подразделения</dt><dd>${i.departments.length ? i.departments.map((d, k) => html`${k > 0 ? ' → ' : ''}${d === current && i.departments.length > 1 ? html`<strong>${deptName(d, v.tenant)}</strong>` : deptName(d, v.tenant)}`) : '—'}</dd></div>
<div><dt>Исполнитель</dt><dd>${i.assignee ? staffName(i.assignee, v.tenant) : '—'}</dd></div>
${i.repeatOf !== null ? html`<div><dt>Повтор</dt><dd>обращения <a href="/incidents/${i.repeatOf}">№ ${i.repeatOf}</a>${v.card.earlier?.answer ? html`<small>прежний ответ: ${v.card.earlier.answer}</small>` : ''}</dd></div>` : ''}
<div><dt>Ближайший срок</dt><dd>${i.nextDueAt && next ? html`<span class="due ${next.overdue ? 'overdue' : ''}">${localTime(i.nextDueAt, v.tenant.timeZone)} · ${next.text}</span>` : '—'}</dd></div>
${i.appeal ? html`<div><dt>59-ФЗ</dt><dd>согласие ${localTime(i.appeal.consentAt, v.tenant.timeZone)} (${i.appeal.consentHow})${i.appeal.registration ? `, рег. № ${i.appeal.registration}` : ''}</dd></div>` : ''}
</dl>`;
}

export function cardPage(v: CardView): Html {
  const i = v.card.incident;
  return page(
    { title: `Обращение № ${i.number}`, viewer: v.viewer, section: 'card', notice: v.notice ?? null, error: v.error ?? null, live: true },
    html`<article class="card" data-incident="${i.number}" data-version="${i.version}">
<h1>Обращение № ${i.number}</h1>
${v.otherViewers.length ? html`<p class="presence viewers">Карточку сейчас также открыл(а): ${v.otherViewers.join(', ')}</p>` : ''}
<div class="columns">
<div class="col-main">
${messageSection(v)}
${verdictSection(v)}
${i.drafts.length ? html`<section><h2>Проекты ответа</h2>${[...i.drafts].reverse().map((d) => draftView(d, v))}</section>` : ''}
${actionsSection(v)}
</div>
<div class="col-side">
${summary(v)}
${deadlinesSection(v)}
${publicationSection(v)}
${historySection(v)}
${readsSection(v)}
</div>
</div>
</article>`,
  );
}
