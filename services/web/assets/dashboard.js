// @ts-check
// The owner's dashboard: polls data.json and draws its charts as inline SVG.
// No chart library and no other origin: the page's CSP allows only this site.
(() => {
  'use strict';

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const root = document.getElementById('dashboard');
  if (!root) return;
  const source = root.dataset.source || '/dashboard/data.json';
  const refreshMs = Number(root.dataset.refreshMs) || 5000;
  const numberFormat = new Intl.NumberFormat();

  /**
   * @param {string} tag
   * @param {Record<string, string | number>} [attrs]
   * @param {string} [text]
   */
  function svgEl(tag, attrs = {}, text) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /**
   * @param {string} tag
   * @param {string} [text]
   * @param {string} [className]
   */
  function htmlEl(tag, text, className) {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  /** Replaces the chart's SVG, keeping its legend. @param {Element} figure @param {SVGSVGElement} svg */
  function mount(figure, svg) {
    figure.querySelector('svg')?.remove();
    figure.insertBefore(svg, figure.firstChild);
  }

  /** Wide charts span the page; small ones sit in a queue card. */
  const WIDE = { width: 600, height: 180 };
  const SMALL = { width: 320, height: 120 };
  let WIDTH = WIDE.width;
  let HEIGHT = WIDE.height;
  const PAD = { top: 12, right: 8, bottom: 22, left: 36 };
  /** @param {{ width: number, height: number }} size */
  function useSize(size) {
    WIDTH = size.width;
    HEIGHT = size.height;
  }

  /** @param {number} max */
  function niceMax(max) {
    if (max <= 0) return 1;
    const magnitude = 10 ** Math.floor(Math.log10(max));
    const steps = [1, 2, 2.5, 5, 10];
    for (const step of steps) if (step * magnitude >= max) return step * magnitude;
    return 10 * magnitude;
  }

  /** @param {SVGSVGElement} svg @param {number} max @param {string} title */
  function frame(svg, max, title) {
    svg.appendChild(svgEl('title', {}, title));
    const plotBottom = HEIGHT - PAD.bottom;
    svg.appendChild(svgEl('line', { class: 'axis', x1: PAD.left, y1: plotBottom, x2: WIDTH - PAD.right, y2: plotBottom }));
    svg.appendChild(svgEl('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: plotBottom }));
    svg.appendChild(svgEl('text', { class: 'label', x: PAD.left - 4, y: PAD.top + 8, 'text-anchor': 'end' }, numberFormat.format(max)));
    svg.appendChild(svgEl('text', { class: 'label', x: PAD.left - 4, y: plotBottom, 'text-anchor': 'end' }, '0'));
  }

  /** @param {string} title */
  function newSvg(title) {
    const svg = /** @type {SVGSVGElement} */ (svgEl('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title }));
    return svg;
  }

  /** @param {SVGSVGElement} svg @param {string} message */
  function empty(svg, message) {
    svg.appendChild(svgEl('text', { class: 'empty', x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle' }, message));
    svg.dataset.points = '0';
  }

  /**
   * Grouped bars: one group per label, one bar per series.
   * @param {Element} figure
   * @param {string} title
   * @param {{ label: string, bars: { cls: string, value: number }[] }[]} groups
   */
  function barChart(figure, title, groups) {
    useSize(WIDE);
    const svg = newSvg(title);
    const values = groups.flatMap((g) => g.bars.map((b) => b.value));
    if (groups.length === 0) {
      empty(svg, 'No data yet');
      mount(figure, svg);
      return;
    }
    const max = niceMax(Math.max(0, ...values));
    frame(svg, max, title);
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const groupW = plotW / groups.length;
    const labelEvery = Math.ceil(groups.length / 12);
    groups.forEach((group, gi) => {
      const barW = Math.max(1, (groupW * 0.8) / Math.max(1, group.bars.length));
      group.bars.forEach((bar, bi) => {
        const h = (bar.value / max) * plotH;
        const x = PAD.left + gi * groupW + groupW * 0.1 + bi * barW;
        const rect = svgEl('rect', {
          class: `bar ${bar.cls}`,
          x: x.toFixed(1),
          y: (PAD.top + plotH - h).toFixed(1),
          width: barW.toFixed(1),
          height: h.toFixed(1),
          'data-value': bar.value,
        });
        rect.appendChild(svgEl('title', {}, `${group.label} ${bar.cls}: ${numberFormat.format(bar.value)}`));
        svg.appendChild(rect);
      });
      if (gi % labelEvery === 0) {
        svg.appendChild(
          svgEl('text', { class: 'label', x: (PAD.left + gi * groupW + groupW / 2).toFixed(1), y: HEIGHT - 6, 'text-anchor': 'middle' }, group.label),
        );
      }
    });
    svg.dataset.points = String(values.length);
    mount(figure, svg);
  }

  /**
   * Lines over the same x axis (minutes, oldest first).
   * @param {Element} figure
   * @param {string} title
   * @param {{ cls: string, values: number[] }[]} series
   */
  function lineChart(figure, title, series) {
    useSize(SMALL);
    const svg = newSvg(title);
    const length = Math.max(0, ...series.map((s) => s.values.length));
    if (length < 2) {
      empty(svg, 'No data yet');
      mount(figure, svg);
      return;
    }
    const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
    frame(svg, max, title);
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const x = (/** @type {number} */ i) => PAD.left + (i / (length - 1)) * plotW;
    const y = (/** @type {number} */ v) => PAD.top + plotH - (v / max) * plotH;
    for (const s of series) {
      const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const line = svgEl('polyline', { class: `line ${s.cls}`, points, 'data-total': s.values.reduce((a, b) => a + b, 0) });
      line.appendChild(svgEl('title', {}, `${s.cls}: ${numberFormat.format(s.values.reduce((a, b) => a + b, 0))} in ${length} min`));
      svg.appendChild(line);
    }
    svg.appendChild(svgEl('text', { class: 'label', x: PAD.left, y: HEIGHT - 6 }, `${length - 1} min ago`));
    svg.appendChild(svgEl('text', { class: 'label', x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end' }, 'now'));
    svg.dataset.points = String(length);
    mount(figure, svg);
  }

  /** @param {number | null} ms */
  function duration(ms) {
    if (ms === null || ms === undefined) return '–';
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
  }

  /** @param {string} id @param {number | undefined} value */
  function setStat(id, value) {
    const el = document.getElementById(id);
    if (el) el.textContent = value === undefined ? '–' : numberFormat.format(value);
  }

  const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'];

  /** @param {any} data */
  function render(data) {
    const analytics = data.analytics;
    setStat('stat-servers', analytics?.servers);
    setStat('stat-members', analytics?.members);
    setStat('stat-ticket-types', analytics?.ticketTypes);
    const ratings = analytics?.ratings ?? [0, 0, 0, 0, 0];
    const rated = ratings.reduce((/** @type {number} */ sum, /** @type {number} */ n) => sum + n, 0);
    setStat('stat-ratings', analytics ? rated : undefined);
    const average = document.getElementById('stat-rating-average');
    if (average)
      average.textContent =
        rated > 0
          ? (ratings.reduce((/** @type {number} */ sum, /** @type {number} */ n, /** @type {number} */ i) => sum + n * (i + 1), 0) / rated).toFixed(2)
          : '–';
    ratings.forEach((/** @type {number} */ n, /** @type {number} */ i) => setStat(`stat-rating-${i + 1}`, analytics ? n : undefined));
    const tickets = document.getElementById('chart-tickets');
    if (tickets) {
      const days = (analytics?.days ?? []).slice(-30);
      barChart(
        tickets,
        'Tickets opened and closed per day',
        days.map((/** @type {any} */ d) => ({
          label: d.day.slice(5),
          bars: [
            { cls: 'opened', value: d.opened },
            { cls: 'closed', value: d.closed },
          ],
        })),
      );
    }
    const depth = document.getElementById('chart-depth');
    if (depth) {
      barChart(
        depth,
        'Jobs per queue and state',
        data.queues.map((/** @type {any} */ q) => ({ label: q.name, bars: DEPTH_STATES.map((state) => ({ cls: state, value: q.counts[state] ?? 0 })) })),
      );
    }
    for (const q of data.queues) {
      const card = document.querySelector(`[data-queue="${CSS.escape(q.name)}"]`);
      if (!card) continue;
      const counts = card.querySelector('.counts');
      if (counts) {
        counts.replaceChildren(
          ...Object.entries(q.counts).map(([state, count]) => {
            const row = htmlEl('div');
            row.append(htmlEl('dt', state), htmlEl('dd', numberFormat.format(Number(count))));
            row.dataset.state = state;
            return row;
          }),
        );
      }
      const throughput = card.querySelector('[data-chart="throughput"]');
      if (throughput) {
        lineChart(throughput, `${q.name}: completed and failed per minute`, [
          { cls: 'completed', values: q.completedPerMinute },
          { cls: 'failed', values: q.failedPerMinute },
        ]);
      }
      const durations = card.querySelector('.durations tbody');
      if (durations) {
        const row = htmlEl('tr');
        row.append(
          htmlEl('td', duration(q.durationMs.p50)),
          htmlEl('td', duration(q.durationMs.p95)),
          htmlEl('td', duration(q.durationMs.p99)),
          htmlEl('td', String(q.durationMs.samples)),
        );
        durations.replaceChildren(row);
      }
      const failures = card.querySelector('.failures tbody');
      if (failures) {
        if (q.failures.length === 0) {
          const row = htmlEl('tr');
          const cell = htmlEl('td', 'No recent failures', 'muted');
          cell.setAttribute('colspan', '4');
          row.append(cell);
          failures.replaceChildren(row);
        } else {
          failures.replaceChildren(
            ...q.failures.map((/** @type {any} */ f) => {
              const row = htmlEl('tr');
              row.append(
                htmlEl('td', f.failedAt ? new Date(f.failedAt).toLocaleString() : '–'),
                htmlEl('td', `${f.name}${f.id ? ` (${f.id})` : ''}`),
                htmlEl('td', f.reason || '(no reason)'),
                htmlEl('td', String(f.attemptsMade)),
              );
              return row;
            }),
          );
        }
      }
    }
    const updated = document.getElementById('updated');
    if (updated) updated.textContent = `updated ${new Date(data.generatedAt).toLocaleTimeString()}`;
    root?.setAttribute('data-loaded', 'true');
  }

  /** @param {string | null} message */
  function showError(message) {
    const el = document.getElementById('error');
    if (!el) return;
    el.hidden = message === null;
    el.textContent = message ?? '';
  }

  async function refresh() {
    try {
      const response = await fetch(source, { headers: { accept: 'application/json' }, cache: 'no-store' });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body?.error ?? `HTTP ${response.status}`);
      render(body);
      showError(null);
    } catch (error) {
      showError(`Could not refresh: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setTimeout(refresh, document.hidden ? refreshMs * 4 : refreshMs);
    }
  }

  void refresh();
})();
