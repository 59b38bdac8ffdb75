import { escapeXml, renderChart } from './charts.js';
import type { MonthlyReport, Table } from './monthly-figures.js';

/**
 * The monthly report as one self-contained HTML file: styles inline and charts as inline
 * SVG, so it opens from the staff bot or an e-mail with nothing else to fetch.
 */

const esc = escapeXml;

function table(t: Table): string {
  const cell = (tag: 'td' | 'th', value: string | number, index: number) =>
    `<${tag}${t.numeric.includes(index) ? ' class="num"' : ''}>${esc(String(value))}</${tag}>`;
  const head = `<tr>${t.columns.map((c, i) => cell('th', c, i)).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`).join('\n');
  const total = t.total ? `<tfoot><tr>${t.total.map((v, i) => cell('td', v, i)).join('')}</tr></tfoot>` : '';
  const empty = t.rows.length === 0 ? `<tr><td colspan="${t.columns.length}" class="empty">нет данных за период</td></tr>` : '';
  return `<table>\n<thead>${head}</thead>\n<tbody>${body}${empty}</tbody>${total}\n</table>`;
}

export function renderHtml(report: MonthlyReport): string {
  const sections = report.sections.map((s) => [
    `<section>`,
    `<h2>${esc(s.heading)}</h2>`,
    s.text ? `<p>${esc(s.text)}</p>` : '',
    s.chart ? `<figure>${renderChart(s.chart)}</figure>` : '',
    s.table ? table(s.table) : '',
    s.note ? `<p class="note">${esc(s.note)}</p>` : '',
    `</section>`,
  ].filter(Boolean).join('\n'));
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>${esc(`Анализ сообщений в социальных сетях — ${report.periodLabel}`)}</title>
<style>
body { font-family: "DejaVu Serif", "PT Serif", "Times New Roman", serif; color: #1f2933; max-width: 760px; margin: 2em auto; line-height: 1.4; }
header { text-align: center; border-bottom: 2px solid #1f2933; padding-bottom: 0.8em; margin-bottom: 1.2em; }
header .org { font-size: 1.05em; text-transform: uppercase; letter-spacing: 0.04em; }
h1 { font-size: 1.35em; margin: 0.6em 0 0.2em; }
h2 { font-size: 1.1em; margin-top: 1.6em; border-bottom: 1px solid #d5dbe1; }
table { border-collapse: collapse; width: 100%; font-family: "DejaVu Sans", Arial, sans-serif; font-size: 0.85em; margin: 0.6em 0; }
th, td { border: 1px solid #b8c2cc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef2f5; }
tfoot td { font-weight: bold; background: #f6f8fa; }
.num { text-align: right; white-space: nowrap; }
.empty { text-align: center; color: #6b7780; }
.summary td:first-child { width: 62%; }
figure { margin: 0.8em 0; }
.note { color: #52606d; font-size: 0.9em; }
footer { margin-top: 2em; font-size: 0.85em; color: #52606d; border-top: 1px solid #d5dbe1; padding-top: 0.5em; }
</style>
</head>
<body>
<header>
<div class="org">${esc(report.title)}</div>
<h1>Анализ сообщений граждан в социальных сетях</h1>
<div>за ${esc(report.periodLabel)} (${esc(report.periodRange)})</div>
</header>
<section>
<h2>Основные показатели</h2>
<table class="summary">
<tbody>
${report.summary.map((s) => `<tr><td>${esc(s.label)}</td><td class="num">${esc(s.value)}</td></tr>`).join('\n')}
</tbody>
</table>
</section>
${sections.join('\n')}
<footer>Сформировано системой «Отклик» ${esc(report.generatedAt)}. Ежемесячный доклад главе администрации.</footer>
</body>
</html>
`;
}
