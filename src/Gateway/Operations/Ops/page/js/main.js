// The operations page: polls the gateway and redraws; pauses while the tab is hidden.
import { api } from './api.js';
import { renderTelemetry } from './charts.js';
import { describeError, time } from './dom.js';
import { initExceptions, refreshExceptions } from './exceptions.js';
import { initLookups } from './lookup.js';
import { renderMap, renderTransitTable, renderWarehouseTable } from './map.js';

const status = document.getElementById('connection');

function report(error) {
  status.textContent = `Last refresh failed: ${describeError(error)}`;
  status.classList.add('warn');
}

async function refreshNetwork() {
  const [warehouses, health, transit] = await Promise.all([
    api('/v1/warehouses'),
    api('/v1/operations/stock-health'),
    api('/v1/operations/transfers-in-transit'),
  ]);
  const healthById = new Map(health.warehouses.map((h) => [h.warehouseId, h]));
  renderMap(document.getElementById('map'), warehouses, healthById, transit);
  renderWarehouseTable(document.querySelector('#warehouses tbody'), warehouses, healthById);
  renderTransitTable(document.querySelector('#transit tbody'), transit);
  document.getElementById('health-as-of').textContent = healthAsOf(health);
}

/** Stockouts are counted live; SKUs below their reorder point only by a replenishment pass. */
function healthAsOf(health) {
  if (!health.asOf) return 'Stock health: nothing counted yet.';
  const passed = health.reorderPointsAsOf
    ? `below reorder point as of the replenishment pass at ${time(health.reorderPointsAsOf)}`
    : 'below reorder point: no replenishment pass yet';
  return `Stock health as of ${time(health.asOf)}; ${passed}.`;
}

async function refreshTelemetry() {
  const data = await api('/v1/operations/telemetry');
  renderTelemetry(document.getElementById('charts'), data);
}

function every(ms, refresh) {
  const tick = async () => {
    if (!document.hidden) {
      try {
        await refresh();
        status.textContent = `Updated ${new Date().toLocaleTimeString()}`;
        status.classList.remove('warn');
      } catch (error) {
        report(error);
      }
    }
    setTimeout(tick, ms);
  };
  return tick();
}

document.getElementById('run-review').addEventListener('click', async (e) => {
  e.target.disabled = true;
  try {
    await api('/v1/replenishment/review', { method: 'POST' });
    await refreshNetwork();
  } catch (error) {
    report(error);
  } finally {
    e.target.disabled = false;
  }
});

initExceptions(report);
initLookups();
document.body.dataset.loaded = 'false';
Promise.all([every(10000, refreshNetwork), every(5000, refreshTelemetry), every(10000, refreshExceptions)])
  .finally(() => { document.body.dataset.loaded = 'true'; });
