/**
 * Server-side HTML by tagged templates: every interpolated value is escaped unless it is
 * already Html (made by this tag or by `raw` on a string the code itself wrote, such as
 * an SVG chart). Chosen over a template engine because the pages are then type-checked
 * with the rest of the code, and escaping cannot be forgotten in a template file.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup the code wrote itself (an SVG chart from reports/charts.ts): never user input. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** `selected` / `checked` attributes. */
export function attr(name: string, on: boolean): Html {
  return new Html(on ? ` ${name}` : '');
}
