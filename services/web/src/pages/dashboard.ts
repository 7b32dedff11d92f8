import { html } from '../html.js';
import { layout } from './layout.js';

/** The owner's dashboard shell; /assets/dashboard.js fills it from data.json and keeps it fresh. */
export function dashboardPage(queueNames: readonly string[]): string {
  const body = html` <div class="dashboard" id="dashboard" data-source="/dashboard/data.json" data-refresh-ms="5000">
    <h1>Dashboard</h1>
    <p class="muted">
      Refreshes every 5 seconds · <span id="updated">loading…</span> · <a href="/admin/queues">Queue board</a> · <a href="/metrics">Prometheus metrics</a>
    </p>
    <p class="error" id="error" hidden></p>
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <div class="stats">
        <div class="stat"><span class="stat-value" id="stat-servers">–</span><span class="stat-label">servers</span></div>
        <div class="stat"><span class="stat-value" id="stat-members">–</span><span class="stat-label">members</span></div>
        <div class="stat"><span class="stat-value" id="stat-ticket-types">–</span><span class="stat-label">ticket types configured</span></div>
      </div>
      <h3>Feedback ratings (all servers, anonymous counts)</h3>
      <div class="stats" id="ratings">
        <div class="stat"><span class="stat-value" id="stat-rating-average">–</span><span class="stat-label">average of 5</span></div>
        <div class="stat"><span class="stat-value" id="stat-ratings">–</span><span class="stat-label">ratings</span></div>
        ${[1, 2, 3, 4, 5].map(
          (n) => html`<div class="stat"><span class="stat-value" id="stat-rating-${n}">–</span><span class="stat-label">rated ${n}</span></div>`,
        )}
      </div>
      <h3>Tickets per day</h3>
      <figure class="chart" id="chart-tickets" data-chart="tickets">
        <figcaption class="legend"><span class="key opened">opened</span> <span class="key closed">closed</span></figcaption>
      </figure>
    </section>
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">Queues</h2>
      <figure class="chart" id="chart-depth" data-chart="depth">
        <figcaption class="legend">
          <span class="key waiting">waiting</span> <span class="key active">active</span> <span class="key delayed">delayed</span>
          <span class="key failed">failed</span>
        </figcaption>
      </figure>
      <div class="queues">
        ${queueNames.map(
          (name) =>
            html`<article class="queue" id="queue-${name}" data-queue="${name}">
              <h3>${name}</h3>
              <dl class="counts"></dl>
              <h4>Completed and failed per minute</h4>
              <figure class="chart" data-chart="throughput"></figure>
              <h4>Job duration</h4>
              <table class="durations">
                <thead>
                  <tr>
                    <th scope="col">p50</th>
                    <th scope="col">p95</th>
                    <th scope="col">p99</th>
                    <th scope="col">jobs</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>–</td>
                    <td>–</td>
                    <td>–</td>
                    <td>–</td>
                  </tr>
                </tbody>
              </table>
              <h4>Recent failures</h4>
              <table class="failures">
                <thead>
                  <tr>
                    <th scope="col">time</th>
                    <th scope="col">job</th>
                    <th scope="col">reason</th>
                    <th scope="col">tries</th>
                  </tr>
                </thead>
                <tbody></tbody>
              </table>
            </article>`,
        )}
      </div>
    </section>
  </div>`;
  return layout({ title: 'Dashboard', path: '/dashboard', body, scripts: ['/assets/dashboard.js'], noindex: true });
}
