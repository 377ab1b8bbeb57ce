// Order lookup (allocation and timeline) and SKU lookup (availability per warehouse, inbound and ETA).
import { api } from './api.js';
import { describeError, el, time, words } from './dom.js';

async function showOrder(id) {
  const root = document.getElementById('order-result');
  try {
    const o = await api(`/v1/orders/${encodeURIComponent(id)}`);
    root.replaceChildren(...[
      el('p', {}, el('strong', {}, o.orderId), ` — ${words(o.status)}, channel ${o.channel}, priority ${words(o.priority)}, created ${time(o.createdAt)}`),
      o.rejectionReason ? el('p', { class: 'warn' }, o.rejectionReason) : null,
      el('table', { class: 'compact', id: 'order-lines' },
        el('caption', {}, 'Allocation'),
        el('thead', {}, el('tr', {}, ['Line', 'SKU', 'Quantity', 'Allocated (warehouse × units, ship date)', 'Backordered', 'Picked', 'Shipped'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, o.lines.map((l) => el('tr', {},
          el('th', { scope: 'row' }, l.lineId), el('td', {}, l.sku), el('td', {}, l.quantity),
          el('td', {}, l.allocations.length ? l.allocations.map((a) => `${a.warehouseId} × ${a.quantity} (${a.promisedShipDate}${a.inboundSource ? `, from inbound ${a.inboundSource}` : ''})`).join(', ') : '—'),
          el('td', {}, l.backorderedQuantity), el('td', {}, l.pickedQuantity), el('td', {}, l.shippedQuantity))))),
      el('h3', {}, 'Timeline'),
      el('ol', { class: 'timeline', id: 'order-timeline' }, o.timeline.map((t) =>
        el('li', {}, el('time', { datetime: t.at }, time(t.at)), ' ', el('strong', {}, words(t.status)), ` — ${t.description}`,
          t.correlationId ? el('span', { class: 'muted' }, ` (correlation ${t.correlationId})`) : null))),
    ].filter(Boolean));
  } catch (error) {
    root.replaceChildren(el('p', { class: 'warn' }, error.status === 404 ? `No order '${id}'.` : describeError(error)));
  }
}

async function showSku(sku) {
  const root = document.getElementById('sku-result');
  try {
    const a = await api(`/v1/availability/${encodeURIComponent(sku)}`);
    root.replaceChildren(
      el('p', {}, el('strong', {}, a.sku), ` — network: ${a.total.onHand} on hand, ${a.total.reserved} reserved, ${a.total.available} available, ${a.total.inbound} inbound, ${a.backordered} backordered`),
      el('table', { class: 'compact', id: 'sku-locations' },
        el('caption', {}, 'Availability per warehouse'),
        el('thead', {}, el('tr', {}, ['Warehouse', 'On hand', 'Reserved', 'Safety stock', 'Available', 'Inbound', 'Earliest ETA', 'Inbound from'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, a.locations.map((l) => el('tr', {},
          el('th', { scope: 'row' }, l.warehouseId), el('td', {}, l.onHand), el('td', {}, l.reserved), el('td', {}, l.safetyStock),
          el('td', {}, l.available), el('td', {}, l.inbound), el('td', {}, time(l.inboundEta)),
          el('td', {}, l.inboundSources.length ? l.inboundSources.map((s) => `${words(s.sourceKind)} ${s.sourceId} × ${s.quantity} (ETA ${time(s.eta)})`).join('; ') : '—'))))));
  } catch (error) {
    root.replaceChildren(el('p', { class: 'warn' }, error.status === 404 ? `No SKU '${sku}'.` : describeError(error)));
  }
}

export function initLookups() {
  document.getElementById('order-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = document.getElementById('order-id').value.trim();
    if (id) showOrder(id);
  });
  document.getElementById('sku-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const sku = document.getElementById('sku-id').value.trim();
    if (sku) showSku(sku);
  });
}
