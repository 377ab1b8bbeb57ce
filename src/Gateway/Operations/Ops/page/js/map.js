// The network map: warehouses placed by latitude/longitude (equirectangular, scaled by the cosine
// of the mean latitude so distances look right at European latitudes), transfers as lines.
import { el, svg, time, words } from './dom.js';

const WIDTH = 640;
const HEIGHT = 420;
const PAD = 48;

/** Share of a warehouse's SKUs that are short (at or below reorder point, or out of stock). */
export function shortShare(health) {
  if (!health || health.skus === 0) return null;
  return Math.min(1, (health.belowReorderPoint + health.stockouts) / health.skus);
}

export function healthClass(share) {
  if (share === null) return 'health-unknown';
  if (share < 0.05) return 'health-good';
  if (share < 0.2) return 'health-warn';
  return 'health-bad';
}

function projection(warehouses) {
  const lats = warehouses.map((w) => w.latitude);
  const lons = warehouses.map((w) => w.longitude);
  const k = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180));
  const x0 = Math.min(...lons) * k;
  const x1 = Math.max(...lons) * k;
  const y0 = Math.min(...lats);
  const y1 = Math.max(...lats);
  const scale = Math.min((WIDTH - 2 * PAD) / Math.max(x1 - x0, 1e-6), (HEIGHT - 2 * PAD) / Math.max(y1 - y0, 1e-6));
  const offsetX = (WIDTH - (x1 - x0) * scale) / 2;
  const offsetY = (HEIGHT - (y1 - y0) * scale) / 2;
  return (w) => [offsetX + (w.longitude * k - x0) * scale, HEIGHT - (offsetY + (w.latitude - y0) * scale)];
}

export function renderMap(root, warehouses, healthById, transit) {
  root.replaceChildren();
  root.append(svg('defs', {},
    svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'transit-arrow' }))));
  if (warehouses.length === 0) {
    root.append(svg('text', { x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle', class: 'muted-text' }, 'No warehouses yet'));
    return;
  }

  const place = projection(warehouses);
  const at = new Map(warehouses.map((w) => [w.warehouseId, place(w)]));
  // A light graticule every 5 degrees gives a sense of scale without a tile server.
  const grid = svg('g', { class: 'graticule', 'aria-hidden': 'true' });
  for (let lat = -90; lat <= 90; lat += 5) {
    const [, y] = place({ latitude: lat, longitude: 0 });
    if (y > 0 && y < HEIGHT) grid.append(svg('line', { x1: 0, x2: WIDTH, y1: y, y2: y }));
  }
  for (let lon = -180; lon <= 180; lon += 5) {
    const [x] = place({ latitude: 0, longitude: lon });
    if (x > 0 && x < WIDTH) grid.append(svg('line', { x1: x, x2: x, y1: 0, y2: HEIGHT }));
  }
  root.append(grid);

  const lines = svg('g', { class: 'transit', role: 'list', 'aria-label': 'Transfers in transit' });
  for (const t of transit) {
    const from = at.get(t.fromWarehouseId);
    const to = at.get(t.toWarehouseId);
    if (!from || !to) continue;
    // Trimmed by the circles' radius so the arrow head stays visible.
    const length = Math.hypot(to[0] - from[0], to[1] - from[1]) || 1;
    const trim = Math.min(18, length / 3);
    const [dx, dy] = [((to[0] - from[0]) / length) * trim, ((to[1] - from[1]) / length) * trim];
    const label = `Transfer ${t.transferId}: ${t.units} unit(s) from ${t.fromWarehouseId} to ${t.toWarehouseId}, ETA ${time(t.eta)}`;
    lines.append(svg('line', {
      x1: from[0] + dx, y1: from[1] + dy, x2: to[0] - dx, y2: to[1] - dy,
      'stroke-width': Math.min(8, 1.5 + Math.log10(1 + t.units) * 2),
      'marker-end': 'url(#arrow)', role: 'listitem', 'aria-label': label, 'data-transfer': t.transferId,
    }, svg('title', {}, label)));
  }
  root.append(lines);

  const points = svg('g', { role: 'list', 'aria-label': 'Warehouses' });
  for (const w of warehouses) {
    const [x, y] = at.get(w.warehouseId);
    const health = healthById.get(w.warehouseId);
    const share = shortShare(health);
    const detail = health
      ? `${health.belowReorderPoint} of ${health.skus} SKUs at or below reorder point, ${health.stockouts} out of stock`
      : 'stock health not counted yet';
    const label = `${w.name} (${w.warehouseId}), ${words(w.status)}: ${detail}`;
    points.append(svg('g', { class: `warehouse status-${w.status}`, role: 'listitem', 'aria-label': label, 'data-warehouse': w.warehouseId },
      svg('title', {}, label),
      svg('circle', { cx: x, cy: y, r: 14, class: healthClass(share) }),
      svg('text', { x, y: y + 30, 'text-anchor': 'middle', class: 'warehouse-id' }, w.warehouseId),
      share === null ? null : svg('text', { x, y: y + 4, 'text-anchor': 'middle', class: 'warehouse-share' }, `${Math.round(share * 100)}%`)));
  }
  root.append(points);
}

export function renderWarehouseTable(tbody, warehouses, healthById) {
  tbody.replaceChildren(...warehouses.map((w) => {
    const h = healthById.get(w.warehouseId);
    return el('tr', { 'data-warehouse': w.warehouseId },
      el('th', { scope: 'row' }, w.warehouseId), el('td', {}, w.name), el('td', {}, words(w.status)),
      el('td', {}, h ? `${h.belowReorderPoint} / ${h.skus}` : '—'), el('td', {}, h ? String(h.stockouts) : '—'));
  }));
}

export function renderTransitTable(tbody, transit) {
  tbody.replaceChildren(...(transit.length === 0
    ? [el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'Nothing in transit'))]
    : transit.map((t) => el('tr', {},
      el('th', { scope: 'row' }, t.transferId), el('td', {}, `${t.fromWarehouseId} → ${t.toWarehouseId}`),
      el('td', {}, String(t.units)), el('td', {}, time(t.eta))))));
}
