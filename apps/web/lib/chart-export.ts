// Exports of the dashboard, built in the browser from what the page already holds: CSV of a
// chart's rows (the same rows the chart draws), PNG of a chart's SVG drawn onto a canvas. No
// library and no round trip to the server. The PDF of the page is the browser's own print to PDF
// with the print stylesheet (globals.css, ux-dash).

export type CsvValue = string | number | null | undefined;

/** A chart's data as a table: headers in words, one row per bar or point. */
export interface CsvTable {
  headers: string[];
  rows: CsvValue[][];
}

/**
 * One CSV field. Text a spreadsheet would run as a formula (leading =, +, -, @, tab or carriage
 * return: names come from users) is prefixed with an apostrophe (OWASP's advice); numbers are
 * written as they are; null (no data) is an empty field, so it never reads as 0.
 */
export function csvCell(v: CsvValue): string {
  if (v == null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The file: what it is (chart, metric, filters, as of) in two-column lines, a blank line, then the table. */
export function toCsv(about: [string, string][], table: CsvTable): string {
  const line = (cells: CsvValue[]) => cells.map(csvCell).join(',');
  return [...about.map(([k, v]) => line([k, v])), '', line(table.headers), ...table.rows.map(line)].join('\r\n') + '\r\n';
}

/** A file name from words: "time-to-resolve-by-service_2025-12-07_2026-12-06.csv". */
export function fileName(title: string, slug: string, ext: string): string {
  const base = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${base}_${slug.replace(/[^0-9A-Za-z_-]/g, '')}.${ext}`;
}

export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A chart's SVG as a PNG at twice its size, on white, with the chart's title above it (the legend
 * is HTML, so it is redrawn as text under the title). Styles recharts sets as attributes travel
 * with the SVG; the page's font is named explicitly since the image has no stylesheet.
 */
export async function svgToPng(svg: SVGSVGElement, title: string, legend: string[]): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.style.fontFamily = getComputedStyle(svg).fontFamily;
  const xml = new XMLSerializer().serializeToString(clone);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  await img.decode();
  const scale = 2;
  const head = legend.length ? 48 : 30;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil((height + head) * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas.');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height + head);
  ctx.fillStyle = '#1d2430';
  ctx.font = `600 14px ${clone.style.fontFamily || 'sans-serif'}`;
  ctx.fillText(title, 8, 18);
  if (legend.length) {
    ctx.font = `12px ${clone.style.fontFamily || 'sans-serif'}`;
    ctx.fillStyle = '#444e5c';
    ctx.fillText(legend.join('   '), 8, 38, width - 16);
  }
  ctx.drawImage(img, 0, head, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The chart could not be turned into a PNG.'))), 'image/png'),
  );
}
