// The benchmark's comparison modes (bench/run.ts): a service started as its own main.ts
// starts it (runMain, createApp), with the switches only the benchmark sets. The product's
// settings (the env schema) have none of them. Plain JavaScript run by `node`, so no
// TypeScript loader sits in the measured process.
//   BENCH_MODE=naive|bot-token-logs node bench/baseline-main.mjs ticket-worker|log-worker
import { runMain } from '@promton/shared/runtime';

/** Per mode, the options each service's createApp gets (bench/run.ts starts the services listed here through this entry). */
const BASELINE_OPTIONS = {
  // Log lines on the bot's token (the path before log webhooks).
  'bot-token-logs': { 'log-worker': { webhooks: false } },
  // One log message per event, on the bot's token; a round trip through config-service before each config read.
  naive: { 'log-worker': { batching: false, webhooks: false }, 'ticket-worker': { configReads: 'queue' } },
};

const [service] = process.argv.slice(2);
const options = BASELINE_OPTIONS[process.env.BENCH_MODE ?? '']?.[service ?? ''];
if (!options) throw new Error(`bench/baseline-main.mjs: no options for BENCH_MODE=${process.env.BENCH_MODE} and service ${service}`);
const { createApp } = await import(`@promton/${service}/app`);
await runMain(service, (runtime) => createApp(runtime, options));
