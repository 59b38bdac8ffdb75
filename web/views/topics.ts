import { html, type Html } from '../html.js';
import { guideEntry, NO_GUIDE_ENTRY, TOPIC_GUIDE_RULES } from '../topic-guide.js';
import { page, type LayoutViewer } from './layout.js';

export interface TopicsView {
  readonly viewer: LayoutViewer;
  /** The tenant's topics, in its own order (the defaults when it keeps none). */
  readonly topics: readonly string[];
}

/** The anchor of a topic on the page, so a card can link straight to it. */
export function topicAnchor(index: number): string {
  return `topic-${index + 1}`;
}

/** «Рубрикатор тем»: the general rules, then every topic of the tenant with its guide. */
export function topicsPage(v: TopicsView): Html {
  return page(
    { title: 'Рубрикатор тем', viewer: v.viewer, section: 'topics' },
    html`<h1>Рубрикатор тем</h1>
<p class="hint">По нему куратор выбирает тему обращения, а классификатор учится её предлагать. Когда подходят две темы, решают общие правила.</p>
<section class="guide-rules"><h2>Общие правила</h2><ol>${TOPIC_GUIDE_RULES.map((rule) => html`<li>${rule}</li>`)}</ol></section>
<section><h2>Темы (${v.topics.length})</h2>
<ul class="guide-list">${v.topics.map((topic, index) => {
    const entry = guideEntry(topic);
    return html`<li id="${topicAnchor(index)}" class="guide-entry">
<h3>${topic}</h3>
${entry
    ? html`<p class="guide-covers">${entry.covers}</p><p class="guide-not-here"><strong>Не сюда:</strong> ${entry.notHere}</p>`
    : html`<p class="missing">${NO_GUIDE_ENTRY}</p>`}
</li>`;
  })}</ul></section>`,
  );
}
