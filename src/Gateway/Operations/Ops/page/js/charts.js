// Small hand-written SVG charts: one series (or a few) over the last hour's minutes.
import { el, svg } from './dom.js';

const W = 300;
const H = 110;
const LEFT = 40;
const BOTTOM = 18;
const PALETTE = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#be185d', '#4b5563'];

function niceMax(value) {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= value);
}

function format(value, unit) {
  if (value === null || value === undefined) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/**
 * A chart figure. series: [{ name, values: [number|null per minute] }]; kind: 'bars' or 'lines'.
 * The caption states the latest value, so the figure reads without the picture.
 */
export function chart({ id, title, unit, kind = 'lines', series, minutes }) {
  const all = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  const max = niceMax(Math.max(0, ...all));
  const n = minutes.length;
  const x = (i) => LEFT + (i + 0.5) * ((W - LEFT - 4) / n);
  const y = (v) => 4 + (H - BOTTOM - 4) * (1 - v / max);
  const body = [
    svg('line', { x1: LEFT, x2: W - 4, y1: y(0), y2: y(0), class: 'axis' }),
    svg('line', { x1: LEFT, x2: W - 4, y1: y(max), y2: y(max), class: 'gridline' }),
    svg('text', { x: LEFT - 4, y: y(max) + 4, 'text-anchor': 'end', class: 'tick' }, format(max)),
    svg('text', { x: LEFT - 4, y: y(0) + 4, 'text-anchor': 'end', class: 'tick' }, '0'),
    svg('text', { x: LEFT, y: H - 2, class: 'tick' }, '−60 min'),
    svg('text', { x: W - 4, y: H - 2, 'text-anchor': 'end', class: 'tick' }, 'now'),
  ];
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    if (kind === 'bars') {
      const width = Math.max(1, (W - LEFT - 4) / n - 1);
      s.values.forEach((v, i) => {
        if (v) body.push(svg('rect', { x: x(i) - width / 2, y: y(v), width, height: y(0) - y(v), fill: color }));
      });
    } else {
      let d = '';
      s.values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        d += `${d && s.values[i - 1] !== null && s.values[i - 1] !== undefined ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      });
      if (d) body.push(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 2 }));
      s.values.forEach((v, i) => {
        if (v !== null && v !== undefined) body.push(svg('circle', { cx: x(i), cy: y(v), r: 1.8, fill: color }));
      });
    }
  });

  const latest = series.map((s) => {
    const last = [...s.values].reverse().find((v) => v !== null && v !== undefined);
    return `${s.name ? `${s.name} ` : ''}${format(last ?? null, unit)}`;
  });
  const summary = `${title}: latest ${latest.join(', ') || 'no data'}; peak ${format(Math.max(0, ...all), unit)} in the last hour`;
  return el('figure', { class: 'chart', id },
    el('figcaption', {}, el('span', { class: 'chart-title' }, title), ' ', el('span', { class: 'chart-latest' }, latest.join(' · ') || '—')),
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary }, svg('title', {}, summary), ...body),
    series.length > 1
      ? el('ul', { class: 'chart-legend' }, series.map((s, k) => el('li', {}, el('span', { class: 'dot', 'data-color': k }), s.name)))
      : null);
}

export function renderTelemetry(root, data) {
  const minutes = data.minutes;
  const mean = (stat) => (stat && stat.count > 0 ? stat.sum / stat.count : null);
  const warehouses = [...new Set(minutes.flatMap((m) => Object.keys(m.eventLatencySecondsByWarehouse)))].sort();
  root.replaceChildren(
    chart({ id: 'chart-orders', title: 'Orders per minute', kind: 'bars', minutes, series: [{ values: minutes.map((m) => m.orders) }] }),
    chart({ id: 'chart-latency', title: 'Allocation latency (mean)', unit: 'ms', minutes, series: [{ values: minutes.map((m) => mean(m.allocationLatencyMs)) }] }),
    chart({ id: 'chart-backorders', title: 'Backordered units per minute', kind: 'bars', minutes, series: [{ values: minutes.map((m) => m.backorderedUnits) }] }),
    chart({ id: 'chart-breaches', title: 'Promise breaches per minute', kind: 'bars', minutes, series: [{ values: minutes.map((m) => m.promiseBreaches) }] }),
    chart({
      id: 'chart-event-latency', title: 'Event latency by warehouse (mean)', unit: 's', minutes,
      series: warehouses.length === 0
        ? [{ values: minutes.map(() => null) }]
        : warehouses.map((w) => ({ name: w, values: minutes.map((m) => mean(m.eventLatencySecondsByWarehouse[w])) })),
    }),
    chart({ id: 'chart-cycle', title: 'Replenishment cycle time (mean)', unit: 'd', minutes, series: [{ values: minutes.map((m) => mean(m.replenishmentCycleDays)) }] }),
  );
}
