// The exception workbench: the filtered queue, one exception's details, retry and resolve.
import { api } from './api.js';
import { describeError, el, time, words } from './dom.js';

const list = () => document.querySelector('#exception-list tbody');
/** Rows per page of the queue; Previous and Next walk the rest (the API pages by offset and limit). */
export const PAGE_SIZE = 50;
let selectedId = null;
let offset = 0;
// The filters last applied: polling keeps showing them while the form is being edited.
let applied = readFilters();

function readFilters() {
  const form = new FormData(document.getElementById('exception-filters'));
  const filters = {};
  for (const name of ['kind', 'status', 'warehouseId']) {
    const value = String(form.get(name) ?? '').trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function query(from) {
  return new URLSearchParams({ ...applied, offset: String(from), limit: String(PAGE_SIZE) });
}

export async function refreshExceptions() {
  let page = await api(`/v1/exceptions?${query(offset)}`);
  if (page.items.length === 0 && page.total > 0 && offset > 0) {
    // The queue shrank under the current page (resolved elsewhere): show its last page instead.
    offset = Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE;
    page = await api(`/v1/exceptions?${query(offset)}`);
  }
  document.getElementById('exception-count').textContent = `Exceptions (${page.total})`;
  list().replaceChildren(...(page.items.length === 0
    ? [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No exceptions match the filters'))]
    : page.items.map((x) => el('tr', { 'data-exception': x.id, class: x.id === selectedId ? 'selected' : null },
      el('td', {}, words(x.kind)), el('td', {}, words(x.status)), el('td', {}, x.warehouseId ?? '—'),
      el('td', { class: 'reason' }, x.reason), el('td', {}, time(x.raisedAt)),
      el('td', {}, el('button', { type: 'button', 'aria-label': `Details of ${x.id}`, onclick: () => select(x.id) }, 'Details'))))));
  document.getElementById('exception-range').textContent = page.items.length === 0
    ? ''
    : `Showing ${page.offset + 1}–${page.offset + page.items.length} of ${page.total}`;
  document.getElementById('exception-previous').disabled = page.offset === 0;
  document.getElementById('exception-next').disabled = page.offset + page.items.length >= page.total;
  if (selectedId) await showDetail(selectedId);
}

async function turn(pages) {
  offset = Math.max(0, offset + pages * PAGE_SIZE);
  await refreshExceptions();
}

async function select(id) {
  selectedId = id;
  document.getElementById('exception-message').textContent = '';
  for (const row of list().querySelectorAll('tr')) row.classList.toggle('selected', row.dataset.exception === id);
  await showDetail(id);
  document.getElementById('exception-detail-title').focus();
}

async function showDetail(id) {
  const x = await api(`/v1/exceptions/${encodeURIComponent(id)}`);
  const panel = document.getElementById('exception-detail');
  panel.hidden = false;
  panel.dataset.exception = x.id;
  const title = document.getElementById('exception-detail-title');
  title.textContent = `${words(x.kind)}: ${x.id}`;
  title.tabIndex = -1;
  const fields = [
    ['Status', words(x.status)], ['Reason', x.reason], ['Correlation id', x.correlationId ?? '—'],
    ['Warehouse', x.warehouseId ?? '—'], ['SKU', x.sku ?? '—'], ['Order', x.orderId ? `${x.orderId}${x.lineId ? ` line ${x.lineId}` : ''}` : '—'],
    ['Transfer', x.transferId ?? '—'], ['Purchase order', x.purchaseOrderId ?? '—'], ['Raised', time(x.raisedAt)],
    ['Occurrences', x.occurrences], ['Retries', x.retries], ['Resolution note', x.resolutionNote ?? '—'],
  ];
  document.getElementById('exception-fields').replaceChildren(...fields.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, String(v))]));
  document.getElementById('exception-payload').textContent = JSON.stringify(x.event ?? null, null, 2);
  document.getElementById('exception-history').replaceChildren(...x.history.map((h) =>
    el('li', {}, el('time', { datetime: h.at }, time(h.at)), ' ', el('strong', {}, h.action), h.note ? ` — ${h.note}` : '', h.correlationId ? el('span', { class: 'muted' }, ` (${h.correlationId})`) : null)));
  document.getElementById('exception-retry').disabled = !(x.retryable && x.status === 'open');
  document.getElementById('exception-resolve').disabled = x.status === 'resolved';
}

async function act(action) {
  const id = selectedId;
  const message = document.getElementById('exception-message');
  if (!id) return;
  try {
    const body = action === 'resolve' ? { note: document.getElementById('exception-note').value || null } : undefined;
    const x = await api(`/v1/exceptions/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });
    message.textContent = action === 'retry' ? `Retry started: ${words(x.status)}` : `Resolved`;
    if (action === 'resolve') document.getElementById('exception-note').value = '';
  } catch (error) {
    message.textContent = `${action === 'retry' ? 'Retry' : 'Resolve'} refused: ${describeError(error)}`;
  }
  await refreshExceptions();
  await showDetail(id);
}

export function initExceptions(onError) {
  document.getElementById('exception-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    applied = readFilters();
    offset = 0;
    refreshExceptions().catch(onError);
  });
  document.getElementById('exception-previous').addEventListener('click', () => turn(-1).catch(onError));
  document.getElementById('exception-next').addEventListener('click', () => turn(1).catch(onError));
  document.getElementById('exception-retry').addEventListener('click', () => act('retry').catch(onError));
  document.getElementById('exception-resolve').addEventListener('click', () => act('resolve').catch(onError));
}
