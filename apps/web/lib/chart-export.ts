// The dashboard's picture exports, made in the browser: PNG of a chart's SVG drawn onto a canvas
// (no library, no round trip). A chart's CSV is the API's (GET /export/<table>.csv, through the
// web app's /export route); the PDF of the page is the browser's own print to PDF with the print
// stylesheet (globals.css, ux-dash).

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
