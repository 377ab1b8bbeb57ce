// The exception workbench: the filtered queue, one exception's details, retry and resolve.
import { api } from './api.js';
import { describeError, el, time, words } from './dom.js';

const list = () => document.querySelector('#exception-list tbody');
let selectedId = null;

function query() {
  const form = new FormData(document.getElementById('exception-filters'));
  const params = new URLSearchParams({ limit: '100' });
  for (const name of ['kind', 'status', 'warehouseId']) {
    const value = String(form.get(name) ?? '').trim();
    if (value) params.set(name, value);
  }
  return params;
}

export async function refreshExceptions() {
  const page = await api(`/v1/exceptions?${query()}`);
  document.getElementById('exception-count').textContent = `Exceptions (${page.total})`;
  list().replaceChildren(...(page.items.length === 0
    ? [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No exceptions match the filters'))]
    : page.items.map((x) => el('tr', { 'data-exception': x.id, class: x.id === selectedId ? 'selected' : null },
      el('td', {}, words(x.kind)), el('td', {}, words(x.status)), el('td', {}, x.warehouseId ?? '—'),
      el('td', { class: 'reason' }, x.reason), el('td', {}, time(x.raisedAt)),
      el('td', {}, el('button', { type: 'button', 'aria-label': `Details of ${x.id}`, onclick: () => select(x.id) }, 'Details'))))));
  if (selectedId) await showDetail(selectedId);
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
    refreshExceptions().catch(onError);
  });
  document.getElementById('exception-retry').addEventListener('click', () => act('retry').catch(onError));
  document.getElementById('exception-resolve').addEventListener('click', () => act('resolve').catch(onError));
}
