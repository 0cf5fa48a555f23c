// The live health card: polls GET /api/v1/health every 5 s and updates gauges in place.
import { api, ApiError } from './api.ts';
import { h, uid } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatBytes, formatClock, formatNumber, formatPercent } from './format.ts';
import { t, type MessageKey } from './i18n.ts';
import type { Health } from './types.ts';

export const HEALTH_INTERVAL_MS = 5_000;

interface Gauge {
  element: HTMLDivElement;
  set(fraction: number, text: string): void;
}

function gauge(label: MessageKey): Gauge {
  const labelId = uid('gauge');
  const valueId = `${labelId}-value`;
  const value = h('span', { class: 'gauge-value', id: valueId }, '—');
  // Green while below 70 %, amber to 90 %, red above.
  const meter = h('meter', {
    min: 0,
    max: 100,
    low: 70,
    high: 90,
    optimum: 0,
    value: 0,
    'aria-labelledby': labelId,
    'aria-describedby': valueId,
  });
  const element = h(
    'div',
    { class: 'gauge' },
    h('div', { class: 'gauge-head' }, h('span', { class: 'gauge-label', id: labelId }, t(label)), value),
    meter,
  );
  return {
    element,
    set(fraction, text) {
      const percent = Math.min(100, Math.max(0, fraction * 100));
      meter.value = Number.isFinite(percent) ? percent : 0;
      value.textContent = text;
    },
  };
}

export interface HealthCard {
  element: HTMLElement;
  stop(): void;
}

export function healthCard(): HealthCard {
  const cpu = gauge('health.cpu');
  const memory = gauge('health.memory');
  const disk = gauge('health.disk');
  const temperature = h('dd', null, '—');
  const load = h('dd', { class: 'mono' }, '—');
  const updated = h('p', { class: 'updated' }, t('health.loading'));
  const problem = h('p', { class: 'stale', hidden: true });
  const element = h(
    'section',
    { class: 'card health', 'aria-labelledby': 'health-card-title', 'aria-busy': 'true' },
    h('div', { class: 'card-head' }, h('h2', { id: 'health-card-title' }, t('health.card')), updated),
    cpu.element,
    h(
      'dl',
      { class: 'facts compact' },
      h('div', null, h('dt', null, t('health.temperature')), temperature),
      h('div', null, h('dt', null, t('health.load')), load),
    ),
    memory.element,
    disk.element,
    problem,
  );

  let timer: number | undefined;
  let stopped = false;
  let controller: AbortController | undefined;
  let inFlight = false;

  function draw(health: Health): void {
    const usage = health.cpu.usagePercent;
    cpu.set(usage / 100, t('health.percent', { value: formatPercent(usage) }));
    temperature.textContent =
      health.cpu.temperatureC === null ? t('common.na') : `${formatNumber(health.cpu.temperatureC, 1)} °C`;
    load.textContent = [health.cpu.load1, health.cpu.load5, health.cpu.load15].map((v) => formatNumber(v, 2)).join(' · ');
    const mem = health.memory;
    memory.set(mem.totalBytes ? mem.usedBytes / mem.totalBytes : 0, t('health.used', { used: formatBytes(mem.usedBytes), total: formatBytes(mem.totalBytes) }));
    const d = health.disk;
    disk.set(
      d.totalBytes ? d.usedBytes / d.totalBytes : 0,
      t('health.diskPath', { used: formatBytes(d.usedBytes), total: formatBytes(d.totalBytes), path: d.path }),
    );
    updated.textContent = t('health.updated', { time: formatClock(health.sampledAt) });
    element.removeAttribute('aria-busy');
    problem.hidden = true;
  }

  async function poll(): Promise<void> {
    if (stopped || inFlight) return;
    if (!document.hidden) {
      controller = new AbortController();
      inFlight = true;
      try {
        draw(await api<Health>('/api/v1/health', { signal: controller.signal }));
      } catch (error) {
        if (stopped || (error instanceof ApiError && error.handled)) return;
        if (controller.signal.aborted) return;
        problem.textContent = t('health.stale', { message: errorMessage(error) });
        problem.hidden = false;
      } finally {
        inFlight = false;
      }
    }
    if (!stopped) timer = window.setTimeout(() => void poll(), HEALTH_INTERVAL_MS);
  }

  const onVisible = () => {
    if (!document.hidden && !stopped) {
      window.clearTimeout(timer);
      void poll();
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  void poll();

  return {
    element,
    stop() {
      stopped = true;
      window.clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
