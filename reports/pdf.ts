import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { CHART_FONT, CHART_WIDTH, renderChart } from './charts.js';
import type { MonthlyReport, Table } from './monthly-figures.js';

/**
 * The monthly report as a PDF, in pure JavaScript: pdfkit for the page, svg-to-pdfkit for
 * the same SVG charts the HTML carries. No browser to download and no native build.
 * pdfkit's standard fonts have no Cyrillic, so the DejaVu fonts the `dejavu-fonts-ttf`
 * package ships are embedded (subset by pdfkit to the glyphs used).
 */

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const PDF_FONTS = {
  serif: path.join(FONT_DIR, 'DejaVuSerif.ttf'),
  serifBold: path.join(FONT_DIR, 'DejaVuSerif-Bold.ttf'),
  sans: path.join(FONT_DIR, 'DejaVuSansCondensed.ttf'),
  sansBold: path.join(FONT_DIR, 'DejaVuSansCondensed-Bold.ttf'),
} as const;

const MARGIN = 56;
const INK = '#1f2933';
const RULE = '#b8c2cc';
const HEAD_FILL = '#eef2f5';
const TOTAL_FILL = '#f6f8fa';

type Doc = PDFKit.PDFDocument;

function contentWidth(doc: Doc): number {
  return doc.page.width - 2 * MARGIN;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - MARGIN - 14;
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

function columnWidths(doc: Doc, table: Table): number[] {
  const width = contentWidth(doc);
  // Measured in the bold face (headers and totals use it): numeric columns as wide as their
  // widest cell, unwrapped; the text columns share what remains, by content.
  doc.font('sansBold').fontSize(8.5);
  const cells = [table.columns, ...table.rows, ...(table.total ? [table.total] : [])];
  const widest = table.columns.map((_, i) => Math.max(...cells.map((r) => doc.widthOfString(String(r[i] ?? '')))) + 12);
  const fixed = table.columns.map((_, i) => (table.numeric.includes(i) ? Math.min(widest[i]!, 170) : 0));
  const fixedSum = fixed.reduce((a, b) => a + b, 0);
  const textColumns = table.columns.map((_, i) => i).filter((i) => !table.numeric.includes(i));
  const textWant = textColumns.reduce((s, i) => s + widest[i]!, 0);
  return table.columns.map((_, i) => (table.numeric.includes(i) ? fixed[i]! : ((width - fixedSum) * widest[i]!) / Math.max(1, textWant)));
}

function rowHeight(doc: Doc, cells: readonly (string | number)[], widths: number[], font: string): number {
  doc.font(font).fontSize(8.5);
  return Math.max(...cells.map((c, i) => doc.heightOfString(String(c), { width: widths[i]! - 8 }))) + 6;
}

function drawRow(doc: Doc, cells: readonly (string | number)[], widths: number[], numeric: readonly number[], style: 'head' | 'body' | 'total', onNewPage?: () => void): void {
  const font = style === 'body' ? 'sans' : 'sansBold';
  const height = rowHeight(doc, cells, widths, font);
  if (doc.y + height > bottomLimit(doc)) {
    doc.addPage();
    onNewPage?.();
  }
  const y = doc.y;
  let x = MARGIN;
  cells.forEach((c, i) => {
    const w = widths[i]!;
    if (style !== 'body') doc.rect(x, y, w, height).fill(style === 'head' ? HEAD_FILL : TOTAL_FILL);
    doc.rect(x, y, w, height).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.fillColor(INK).font(font).fontSize(8.5).text(String(c), x + 4, y + 3, { width: w - 8, align: numeric.includes(i) ? 'right' : 'left' });
    x += w;
  });
  doc.x = MARGIN;
  doc.y = y + height;
}

function drawTable(doc: Doc, table: Table): void {
  const widths = columnWidths(doc, table);
  const header = () => drawRow(doc, table.columns, widths, [], 'head');
  // The header and the first row stay together; a table that runs onto a new page repeats
  // its header there, as a printed document does.
  const first = table.rows[0] ?? table.columns;
  if (doc.y + rowHeight(doc, table.columns, widths, 'sansBold') + rowHeight(doc, first, widths, 'sans') > bottomLimit(doc)) doc.addPage();
  header();
  if (table.rows.length === 0) drawRow(doc, ['нет данных за период', ...table.columns.slice(1).map(() => '')], widths, [], 'body');
  for (const row of table.rows) drawRow(doc, row, widths, table.numeric, 'body', header);
  if (table.total) drawRow(doc, table.total, widths, table.numeric, 'total', header);
  doc.moveDown(0.6);
}

function chartHeight(doc: Doc, svg: string): number {
  const heightPx = Number(/height="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? '200');
  return heightPx * (contentWidth(doc) / CHART_WIDTH);
}

function drawChart(doc: Doc, svg: string): void {
  const height = chartHeight(doc, svg);
  ensureRoom(doc, height + 8);
  SVGtoPDF(doc, svg, MARGIN, doc.y, {
    width: contentWidth(doc), height, preserveAspectRatio: 'xMinYMin meet',
    fontCallback: (family, bold) => (family.includes(CHART_FONT) || family.includes('sans') ? (bold ? 'sansBold' : 'sans') : 'serif'),
  });
  doc.x = MARGIN;
  doc.y += height + 8;
}

function paragraph(doc: Doc, content: string, options: { size?: number; color?: string; font?: string } = {}): void {
  doc.font(options.font ?? 'serif').fontSize(options.size ?? 10.5).fillColor(options.color ?? INK);
  ensureRoom(doc, doc.heightOfString(content, { width: contentWidth(doc) }));
  doc.text(content, MARGIN, doc.y, { width: contentWidth(doc), align: 'left' });
  doc.moveDown(0.4);
}

export function renderPdf(report: MonthlyReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', margin: MARGIN, bufferPages: true,
    info: { Title: `Анализ сообщений граждан в социальных сетях — ${report.periodLabel}`, Author: report.title, Subject: 'Ежемесячный доклад главе администрации', Creator: 'Отклик' },
  });
  doc.registerFont('serif', PDF_FONTS.serif);
  doc.registerFont('serifBold', PDF_FONTS.serifBold);
  doc.registerFont('sans', PDF_FONTS.sans);
  doc.registerFont('sansBold', PDF_FONTS.sansBold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = contentWidth(doc);
  doc.font('serifBold').fontSize(12).fillColor(INK).text(report.title.toUpperCase(), MARGIN, MARGIN, { width, align: 'center' });
  doc.moveDown(1.2);
  doc.font('serifBold').fontSize(15).text('Анализ сообщений граждан в социальных сетях', { width, align: 'center' });
  doc.moveDown(0.3);
  doc.font('serif').fontSize(11).text(`за ${report.periodLabel} (${report.periodRange})`, { width, align: 'center' });
  doc.moveDown(0.5);
  doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(1.2).strokeColor(INK).stroke();
  doc.moveDown(1);

  doc.font('serifBold').fontSize(12).text('Основные показатели', MARGIN, doc.y, { width });
  doc.moveDown(0.4);
  drawTable(doc, { columns: ['Показатель', 'Значение'], numeric: [1], rows: report.summary.map((s) => [s.label, s.value]) });

  for (const section of report.sections) {
    // A heading never ends a page: it stays with its text and its chart (or a table's start).
    const chart = section.chart ? renderChart(section.chart) : null;
    doc.font('serif').fontSize(10.5);
    const textHeight = section.text ? doc.heightOfString(section.text, { width }) + 6 : 0;
    ensureRoom(doc, 34 + textHeight + (chart ? chartHeight(doc, chart) + 8 : 50));
    doc.moveDown(0.4);
    doc.font('serifBold').fontSize(12).fillColor(INK).text(section.heading, MARGIN, doc.y, { width });
    doc.moveDown(0.3);
    if (section.text) paragraph(doc, section.text);
    if (chart) drawChart(doc, chart);
    if (section.table) drawTable(doc, section.table);
    if (section.note) paragraph(doc, section.note, { size: 9.5, color: '#52606d' });
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Text below the bottom margin would make pdfkit start a new page: lift the margin for the footer.
    doc.page.margins.bottom = 0;
    const footer = `${report.title} · ${report.periodLabel} · сформировано ${report.generatedAt} · стр. ${i + 1} из ${range.count}`;
    doc.font('sans').fontSize(7.5).fillColor('#52606d').text(footer, MARGIN, doc.page.height - MARGIN + 14, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
