/**
 * Charts for the monthly report as SVG strings, in pure JavaScript: the same SVG goes
 * into the HTML as is and into the PDF through svg-to-pdfkit (no canvas: its native build
 * fails here, and a document needs no pixels). Plain shapes and text only, so that both
 * routes draw them the same.
 */

export type ChartSpec =
  | { readonly kind: 'bars'; readonly title: string; readonly items: ReadonlyArray<{ readonly label: string; readonly value: number }> }
  | { readonly kind: 'columns'; readonly title: string; readonly items: ReadonlyArray<{ readonly label: string; readonly value: number }> }
  | {
      readonly kind: 'stacked';
      readonly title: string;
      readonly legend: readonly [string, string];
      readonly items: ReadonlyArray<{ readonly label: string; readonly parts: readonly [number, number] }>;
    };

export const CHART_FONT = 'DejaVu Sans';
export const CHART_WIDTH = 680;

const INK = '#1f2933';
const GRID = '#d5dbe1';
const BAR = '#2f5d8a';
const MET = '#3c8d5a';
const MISSED = '#c0392b';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A round axis maximum (1, 2, 5 × 10^k) at or above the largest value, and its step. */
export function niceScale(max: number, ticks = 5): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const roundedStep = Math.max(1, Math.round(step));
  return { max: Math.ceil(max / roundedStep) * roundedStep, step: roundedStep };
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="${CHART_FONT}" font-size="11" fill="${INK}" ${attrs}>${escapeXml(content)}</text>`;
}

function svg(height: number, body: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}">${body.join('')}</svg>`;
}

function title(content: string): string {
  return `<text x="0" y="14" font-family="${CHART_FONT}" font-size="13" font-weight="bold" fill="${INK}">${escapeXml(content)}</text>`;
}

function horizontalBars(spec: Extract<ChartSpec, { kind: 'bars' }>): string {
  const labelWidth = 230;
  const rowHeight = 20;
  const top = 26;
  const plotWidth = CHART_WIDTH - labelWidth - 50;
  const { max } = niceScale(Math.max(0, ...spec.items.map((i) => i.value)));
  const body = [title(spec.title)];
  spec.items.forEach((item, index) => {
    const y = top + index * rowHeight;
    const width = (item.value / max) * plotWidth;
    body.push(text(labelWidth - 6, y + 13, truncate(item.label, 36), 'text-anchor="end"'));
    body.push(`<rect x="${labelWidth}" y="${y + 3}" width="${width.toFixed(1)}" height="${rowHeight - 6}" fill="${BAR}"/>`);
    body.push(text(labelWidth + width + 4, y + 13, String(item.value)));
  });
  if (spec.items.length === 0) body.push(text(0, top + 14, 'нет данных'));
  return svg(top + Math.max(1, spec.items.length) * rowHeight + 6, body);
}

function columns(spec: Extract<ChartSpec, { kind: 'columns' }>): string {
  const left = 36;
  const top = 28;
  const plotHeight = 150;
  const bottom = top + plotHeight;
  const plotWidth = CHART_WIDTH - left - 8;
  // Headroom above the tallest column for its value label.
  const { max, step } = niceScale(Math.max(0, ...spec.items.map((i) => i.value)) * 1.12);
  const body = [title(spec.title)];
  for (let v = 0; v <= max; v += step) {
    const y = bottom - (v / max) * plotHeight;
    body.push(`<line x1="${left}" y1="${y.toFixed(1)}" x2="${CHART_WIDTH - 8}" y2="${y.toFixed(1)}" stroke="${GRID}" stroke-width="0.7"/>`);
    body.push(text(left - 4, y + 4, String(v), 'text-anchor="end"'));
  }
  const slot = plotWidth / Math.max(1, spec.items.length);
  const many = spec.items.length > 12;
  spec.items.forEach((item, index) => {
    const height = (item.value / max) * plotHeight;
    const x = left + index * slot + slot * 0.15;
    body.push(`<rect x="${x.toFixed(1)}" y="${(bottom - height).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${height.toFixed(1)}" fill="${BAR}"/>`);
    if (!many && item.value > 0) body.push(text(x + slot * 0.35, bottom - height - 3, String(item.value), 'text-anchor="middle"'));
    body.push(text(x + slot * 0.35, bottom + 14, item.label, 'text-anchor="middle"'));
  });
  body.push(`<line x1="${left}" y1="${bottom}" x2="${CHART_WIDTH - 8}" y2="${bottom}" stroke="${INK}" stroke-width="1"/>`);
  return svg(bottom + 22, body);
}

function stacked(spec: Extract<ChartSpec, { kind: 'stacked' }>): string {
  const labelWidth = 250;
  const rowHeight = 20;
  const top = 44;
  const plotWidth = CHART_WIDTH - labelWidth - 70;
  const { max } = niceScale(Math.max(0, ...spec.items.map((i) => i.parts[0] + i.parts[1])));
  const body = [title(spec.title)];
  body.push(`<rect x="0" y="22" width="10" height="10" fill="${MET}"/>`, text(14, 31, spec.legend[0]));
  body.push(`<rect x="110" y="22" width="10" height="10" fill="${MISSED}"/>`, text(124, 31, spec.legend[1]));
  spec.items.forEach((item, index) => {
    const y = top + index * rowHeight;
    const metWidth = (item.parts[0] / max) * plotWidth;
    const missedWidth = (item.parts[1] / max) * plotWidth;
    body.push(text(labelWidth - 6, y + 13, truncate(item.label, 40), 'text-anchor="end"'));
    body.push(`<rect x="${labelWidth}" y="${y + 3}" width="${metWidth.toFixed(1)}" height="${rowHeight - 6}" fill="${MET}"/>`);
    body.push(`<rect x="${(labelWidth + metWidth).toFixed(1)}" y="${y + 3}" width="${missedWidth.toFixed(1)}" height="${rowHeight - 6}" fill="${MISSED}"/>`);
    body.push(text(labelWidth + metWidth + missedWidth + 4, y + 13, `${item.parts[0]} / ${item.parts[1]}`));
  });
  if (spec.items.length === 0) body.push(text(0, top + 14, 'нет данных'));
  return svg(top + Math.max(1, spec.items.length) * rowHeight + 6, body);
}

export function renderChart(spec: ChartSpec): string {
  switch (spec.kind) {
    case 'bars':
      return horizontalBars(spec);
    case 'columns':
      return columns(spec);
    case 'stacked':
      return stacked(spec);
  }
}
