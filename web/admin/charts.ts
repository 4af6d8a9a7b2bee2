/** Hand-drawn SVG charts (no chart library). */
const NS = 'http://www.w3.org/2000/svg';

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return n.toLocaleString('en-US');
}

const tickLabel = (v: number): string => (Number.isInteger(v) || v >= 100 ? compact(Math.round(v)) : v.toFixed(1));

/**
 * Daily bars with an optional dashed limit line, drawn only when it is on the data's scale (a quota
 * far above the usage would flatten every bar). Each bar carries its value for tests and tooltips.
 */
export function barChart(points: Array<{ label: string; value: number }>, opts: { title: string; limit?: number; tick?: (label: string) => string }): SVGElement {
  const w = 720;
  const h = 220;
  const pad = { l: 44, r: 8, t: 12, b: 26 };
  const top = Math.max(1, ...points.map((p) => p.value));
  const showLimit = opts.limit !== undefined && opts.limit > 0 && opts.limit <= top * 2;
  const max = showLimit ? Math.max(top, opts.limit ?? 0) : top;
  const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart', role: 'img', 'aria-label': opts.title });
  const plotW = w - pad.l - pad.r;
  const plotH = h - pad.t - pad.b;
  const step = plotW / Math.max(1, points.length);
  for (const frac of max >= 2 ? [0, 0.5, 1] : [0, 1]) {
    const y = pad.t + plotH * (1 - frac);
    svg.append(el('line', { x1: pad.l, x2: w - pad.r, y1: y, y2: y, stroke: '#dde3ea' }));
    svg.append(el('text', { x: pad.l - 4, y: y + 3, 'text-anchor': 'end' }, tickLabel(max * frac)));
  }
  points.forEach((p, i) => {
    const bh = (p.value / max) * plotH;
    const bar = el('rect', { class: 'bar', x: pad.l + i * step + step * 0.15, y: pad.t + plotH - bh, width: step * 0.7, height: Math.max(0, bh), 'data-day': p.label, 'data-value': p.value });
    bar.append(el('title', {}, `${p.label}: ${p.value.toLocaleString('en-US')}`));
    svg.append(bar);
    if (i % Math.ceil(points.length / 6) === 0) svg.append(el('text', { x: pad.l + i * step + step / 2, y: h - 8, 'text-anchor': 'middle' }, (opts.tick ?? String)(p.label)));
  });
  if (showLimit && opts.limit) {
    const y = pad.t + plotH * (1 - opts.limit / max);
    svg.append(el('line', { class: 'quota', x1: pad.l, x2: w - pad.r, y1: y, y2: y }));
  }
  return svg;
}
