// Bar charts as inline SVG built with DOM calls (no library, nothing inline for the CSP to
// refuse): stacked (call time per contact per month) or grouped (money out and in per month).
// Screen readers get a one-sentence summary on the image and the numbers in a hidden table.
import { h, replace } from './dom.ts';

const SVG = 'http://www.w3.org/2000/svg';

export interface ChartSeries {
  name: string;
  values: number[];
  /** Colour class: 1–8 for contacts, or unknown, others, out, in. */
  tone: string;
}

export interface ChartCategory {
  /** Under the bar, e.g. "Nov". */
  short: string;
  /** A second line under it, e.g. the year on January and on the first bar. */
  sub?: string;
  /** In tooltips and the table, e.g. "November 2026". */
  long: string;
}

export interface ChartData {
  layout: 'stacked' | 'grouped';
  categories: ChartCategory[];
  series: ChartSeries[];
  /** What the image says to a screen reader: the chart's point in a sentence. */
  summary: string;
  /** The hidden table's caption and first column header. */
  caption: string;
  categoryHeader: string;
  /** The stacked table's last column, e.g. "Total". */
  totalHeader?: string;
  formatValue(value: number): string;
  formatTick(value: number): string;
  /** Preferred axis steps, smallest first (e.g. minutes: 5, 10, 15, 30, 60…). */
  tickSteps?: number[];
  /** Said instead of the chart when every value is zero. */
  empty: string;
}

export interface BarChart {
  element: HTMLElement;
  draw(data: ChartData): void;
  dispose(): void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * Round steps from zero to at least `max`, at most `count` of them: from `steps` when given
 * (minutes read best in 15s, 30s and hours), else 1, 2, 2.5 or 5 × 10ⁿ.
 */
function niceTicks(max: number, count = 4, steps?: number[]): number[] {
  if (!(max > 0)) return [0, 1];
  let step = steps?.find((candidate) => Math.ceil(max / candidate) <= count);
  if (step === undefined) {
    const raw = max / count;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const residual = raw / magnitude;
    step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10) * magnitude;
  }
  const ticks: number[] = [];
  for (let index = 0; index <= Math.ceil(max / step - 1e-9); index += 1) ticks.push(Math.round(index * step * 1e6) / 1e6);
  return ticks;
}

/** Rough width of a label in the chart's 12 px system font, to leave room for the axis. */
const textWidth = (text: string) => text.length * 6.6;

function drawSvg(data: ChartData, width: number): SVGSVGElement {
  const height = width < 480 ? 220 : 260;
  const stacked = data.layout === 'stacked';
  const count = data.categories.length;
  const heights = data.categories.map((_, index) =>
    stacked
      ? data.series.reduce((sum, series) => sum + Math.max(0, series.values[index] ?? 0), 0)
      : Math.max(0, ...data.series.map((series) => series.values[index] ?? 0)),
  );
  const ticks = niceTicks(Math.max(...heights, 0), 4, data.tickSteps);
  const top = ticks[ticks.length - 1]!;
  const tickLabels = ticks.map((tick) => data.formatTick(tick));
  const left = Math.ceil(Math.max(...tickLabels.map(textWidth))) + 10;
  const margin = { top: 18, right: 6, bottom: data.categories.some((category) => category.sub) ? 36 : 24, left };
  const plotWidth = Math.max(10, width - margin.left - margin.right);
  const plotHeight = height - margin.top - margin.bottom;
  const band = plotWidth / Math.max(1, count);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;

  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': data.summary, class: 'chart-svg' });
  const grid = svg('g', { class: 'chart-grid' });
  ticks.forEach((tick, index) => {
    const lineY = Math.round(y(tick)) + 0.5;
    grid.append(
      svg('line', { x1: margin.left, x2: width - margin.right, y1: lineY, y2: lineY, class: tick === 0 ? 'chart-baseline' : 'chart-gridline' }),
      svg('text', { x: margin.left - 8, y: lineY, class: 'chart-tick', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, tickLabels[index]),
    );
  });
  root.append(grid);

  // Month labels thin out when bars get narrow; the first and the years always show.
  const every = Math.max(1, Math.ceil(34 / band));
  let shownSub: string | undefined;
  const bars = svg('g', { class: 'chart-bars' });
  const labels = svg('g', { class: 'chart-labels' });
  data.categories.forEach((category, index) => {
    const centre = margin.left + band * (index + 0.5);
    if (stacked) {
      const barWidth = Math.max(2, Math.min(band * 0.66, 52));
      let base = 0;
      for (const series of data.series) {
        const value = Math.max(0, series.values[index] ?? 0);
        if (value === 0) continue;
        const y0 = y(base);
        const y1 = y(base + value);
        const rect = svg('rect', {
          x: centre - barWidth / 2,
          y: y1,
          width: barWidth,
          height: Math.max(1, y0 - y1),
          rx: Math.min(3, barWidth / 4),
          class: `chart-bar tone-${series.tone}`,
        });
        rect.append(svg('title', {}, `${series.name} · ${category.long}: ${data.formatValue(value)}`));
        bars.append(rect);
        base += value;
      }
      if (base > 0 && band >= 44) {
        bars.append(svg('text', { x: centre, y: y(base) - 5, class: 'chart-total', 'text-anchor': 'middle' }, data.formatTick(base)));
      }
    } else {
      const groupWidth = Math.min(band * 0.8, 28 * data.series.length);
      const barWidth = Math.max(2, groupWidth / data.series.length - 2);
      data.series.forEach((series, position) => {
        const value = Math.max(0, series.values[index] ?? 0);
        if (value === 0) return;
        const x = centre - groupWidth / 2 + position * (groupWidth / data.series.length) + 1;
        const rect = svg('rect', {
          x,
          y: y(value),
          width: barWidth,
          height: Math.max(1, y(0) - y(value)),
          rx: Math.min(3, barWidth / 4),
          class: `chart-bar tone-${series.tone}`,
        });
        rect.append(svg('title', {}, `${series.name} · ${category.long}: ${data.formatValue(value)}`));
        bars.append(rect);
      });
    }
    // Counted from the newest month, which always has its label: it is the one people look for.
    if ((data.categories.length - 1 - index) % every === 0) {
      const labelY = margin.top + plotHeight + 16;
      labels.append(svg('text', { x: centre, y: labelY, class: 'chart-label', 'text-anchor': 'middle' }, category.short));
      // The second line (the year) shows on the first label and whenever it changes, even if its own bar's label is skipped.
      const sub = data.categories.slice(Math.max(0, index - every + 1), index + 1).findLast((earlier) => earlier.sub)?.sub;
      if (sub && sub !== shownSub) {
        labels.append(svg('text', { x: centre, y: labelY + 14, class: 'chart-label chart-sublabel', 'text-anchor': 'middle' }, sub));
        shownSub = sub;
      }
    }
  });
  root.append(bars, labels);
  return root;
}

function dataTable(data: ChartData): HTMLTableElement {
  const stacked = data.layout === 'stacked' && data.totalHeader;
  return h(
    'table',
    null,
    h('caption', null, data.caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, data.categoryHeader),
        data.series.map((series) => h('th', { scope: 'col' }, series.name)),
        stacked ? h('th', { scope: 'col' }, data.totalHeader) : null,
      ),
    ),
    h(
      'tbody',
      null,
      data.categories.map((category, index) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, category.long),
          data.series.map((series) => h('td', null, data.formatValue(series.values[index] ?? 0))),
          stacked ? h('td', null, data.formatValue(data.series.reduce((sum, series) => sum + (series.values[index] ?? 0), 0))) : null,
        ),
      ),
    ),
  );
}

export function barChart(): BarChart {
  const canvas = h('div', { class: 'chart-canvas' });
  const legend = h('ul', { class: 'chart-legend' });
  // Hidden by its wrapper: a table is never narrower than its content, whatever its own width says.
  const table = h('div', { class: 'visually-hidden' });
  const element = h('figure', { class: 'chart' }, canvas, legend, table);
  let current: ChartData | undefined;
  let drawnWidth = 0;

  function render(): void {
    if (!current) return;
    const width = Math.max(260, Math.floor(canvas.clientWidth || 640));
    drawnWidth = width;
    const hasData = current.categories.length > 0 && current.series.some((series) => series.values.some((value) => value > 0));
    if (!hasData) {
      replace(canvas, h('p', { class: 'chart-empty' }, current.empty));
      replace(legend);
      replace(table);
      return;
    }
    replace(canvas, drawSvg(current, width));
  }

  // Drawn at the width it is shown at, so its text stays readable on a phone.
  let frame = 0;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(canvas.clientWidth);
    if (!current || Math.abs(width - drawnWidth) < 2) return;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(render);
  });
  observer.observe(canvas);

  return {
    element,
    draw(data) {
      current = data;
      render();
      if (!canvas.querySelector('svg')) return;
      replace(
        legend,
        data.series.map((series) => h('li', null, h('span', { class: `swatch tone-${series.tone}`, 'aria-hidden': 'true' }), series.name)),
      );
      replace(table, dataTable(data));
    },
    dispose() {
      observer.disconnect();
      cancelAnimationFrame(frame);
    },
  };
}
