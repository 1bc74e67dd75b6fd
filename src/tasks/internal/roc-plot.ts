/**
 * The ROC curve as an SVG picture: true accept rate against false accept rate on a log axis,
 * with the operating points of the report marked. Pure string building.
 */
import type { RocPoint } from './roc-curve.ts';

/** A marked operating point. */
export interface PlotMark {
  label: string;
  fpr: number;
  tpr: number;
}

const WIDTH = 640;
const HEIGHT = 480;
const LEFT = 70;
const RIGHT = 20;
const TOP = 40;
const BOTTOM = 60;

const STYLE = [
  'text{font:12px sans-serif}',
  '.grid{stroke:#ddd}',
  '.curve{fill:none;stroke:#1f5fbf;stroke-width:2}',
  '.mark{fill:#c0392b}',
].join('');

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A centred text element (`extra`: further attributes). */
function label(x: number | string, y: number | string, content: string, extra = ''): string {
  return `<text x="${x}" y="${y}" text-anchor="middle"${extra}>${escapeXml(content)}</text>`;
}

/** Plot axes: decades of FPR from `minDecade` to 0, TPR from `minTpr` to 1. */
interface Axes {
  minDecade: number;
  minTpr: number;
}

function xOf(axes: Axes, fpr: number): number {
  const decade = Math.max(Math.log10(Math.max(fpr, 10 ** axes.minDecade)), axes.minDecade);
  return LEFT + ((decade - axes.minDecade) / -axes.minDecade) * (WIDTH - LEFT - RIGHT);
}

function yOf(axes: Axes, tpr: number): number {
  const share = (Math.max(tpr, axes.minTpr) - axes.minTpr) / (1 - axes.minTpr);
  return HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM);
}

function grid(axes: Axes): string[] {
  const lines: string[] = [];
  for (let d = axes.minDecade; d <= 0; d++) {
    const x = xOf(axes, 10 ** d).toFixed(1);
    lines.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${HEIGHT - BOTTOM}" class="grid"/>`);
    lines.push(`<text x="${x}" y="${HEIGHT - BOTTOM + 18}" text-anchor="middle">1e${d}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const tpr = axes.minTpr + ((1 - axes.minTpr) * i) / 5;
    const y = yOf(axes, tpr).toFixed(1);
    lines.push(`<line x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}" class="grid"/>`);
    lines.push(`<text x="${LEFT - 8}" y="${y}" text-anchor="end">${tpr.toFixed(2)}</text>`);
  }
  return lines;
}

function marks(axes: Axes, points: PlotMark[]): string[] {
  return points.map((m) => {
    const x = xOf(axes, m.fpr).toFixed(1);
    const y = yOf(axes, m.tpr).toFixed(1);
    return `<circle cx="${x}" cy="${y}" r="4" class="mark"/>${label(x, Number(y) + 16, m.label)}`;
  });
}

/** An SVG document of `curve`, with `points` marked; `title` goes on top. */
export function rocSvg(curve: RocPoint[], points: PlotMark[], title: string): string {
  const smallest = Math.min(...curve.filter((p) => p.fpr > 0).map((p) => p.fpr), 1);
  const axes = { minDecade: Math.max(Math.floor(Math.log10(smallest)), -6), minTpr: 0 };
  const lowest = curve.find((p) => p.fpr >= 10 ** axes.minDecade)?.tpr ?? 0;
  axes.minTpr = Math.max(0, Math.floor((lowest - 0.05) * 10) / 10);
  const path = curve
    .filter((p) => p.fpr > 0)
    .map((p) => `${xOf(axes, p.fpr).toFixed(1)},${yOf(axes, p.tpr).toFixed(1)}`)
    .join(' ');
  const size = `width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"`;
  const turned = ` transform="rotate(-90 18 ${HEIGHT / 2})"`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" ${size}>`,
    `<style>${STYLE}</style>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    label(WIDTH / 2, 24, title),
    ...grid(axes),
    `<polyline points="${path}" class="curve"/>`,
    ...marks(axes, points),
    label((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 16, 'false accept rate (log)'),
    label(18, HEIGHT / 2, 'true accept rate', turned),
    '</svg>',
  ].join('\n');
}
