import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { loadConfig } from '../contracts/config.js';
import { QueueName } from '../contracts/queues.js';
import { stopOnce, type ProcessLike } from './main.js';
import { metricsKey } from './metrics.js';
import { createRuntime } from './runtime.js';

const config = () => loadConfig({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: testPrefix(), DISCORD_API_URL: 'http://127.0.0.1:9/api', LOG_LEVEL: 'silent' });

describe('Runtime', () => {
  it('closes what was registered in reverse order, each once, however often close() is called', async () => {
    const runtime = createRuntime('test', config());
    const closed: string[] = [];
    for (const name of ['connection', 'queue', 'worker', 'health']) {
      const resource = { name };
      expect(runtime.own(name, resource, (r) => void closed.push(r.name))).toBe(resource);
    }
    const first = runtime.close();
    const second = runtime.close();
    expect(second).toBe(first);
    await Promise.all([first, second, runtime.close()]);
    expect(closed).toEqual(['health', 'worker', 'queue', 'connection']);
    expect(runtime.closed).toBe(true);
  });

  it('waits for each close before the next, and a failing close neither stops the rest nor hides its error', async () => {
    const runtime = createRuntime('test', config());
    const events: string[] = [];
    runtime.own('connection', 1, () => void events.push('connection'));
    runtime.own('queue', 2, () => Promise.reject(new Error('queue would not close')));
    runtime.own('worker', 3, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('worker finished its job');
    });
    await expect(runtime.close()).rejects.toThrow('queue would not close');
    expect(events).toEqual(['worker finished its job', 'connection']);
    // Once: a later call answers with the same outcome and closes nothing again.
    await expect(runtime.close()).rejects.toThrow('queue would not close');
    expect(events).toHaveLength(2);
  });

  it('closes at once what is registered after closing began', async () => {
    const runtime = createRuntime('test', config());
    const closed: string[] = [];
    await runtime.close();
    let lateClosed!: () => void;
    const late = new Promise<void>((resolve) => (lateClosed = resolve));
    runtime.own('late', 'x', () => {
      closed.push('late');
      lateClosed();
    });
    await late;
    expect(closed).toEqual(['late']);
  });

  it('a failed start closes what it had opened and rethrows', async () => {
    const runtime = createRuntime('test', config());
    const closed: string[] = [];
    await expect(
      runtime.start(async () => {
        runtime.own('connection', 1, () => void closed.push('connection'));
        runtime.own('queue', 2, () => void closed.push('queue'));
        throw new Error('Discord refused the token');
      }),
    ).rejects.toThrow('Discord refused the token');
    expect(closed).toEqual(['queue', 'connection']);
  });

  it("closes a child runtime in its place among the parent's resources", async () => {
    const parent = createRuntime('all-in-one', config());
    const closed: string[] = [];
    parent.own('health', 0, () => void closed.push('health'));
    const first = parent.child('config-service');
    first.own('database', 0, () => void closed.push('config-service database'));
    const second = parent.child('gateway');
    second.own('shards', 0, () => void closed.push('gateway shards'));
    second.own('queue', 0, () => void closed.push('gateway queue'));
    // The child closed by itself first (its start failed, say) is not closed twice.
    await second.close();
    await parent.close();
    expect(closed).toEqual(['gateway queue', 'gateway shards', 'config-service database', 'health']);
  });

  it('owns its Redis connections, queues, worker and metrics: after close, no connection is left and the metrics snapshot is gone', async () => {
    const cfg = config();
    const runtime = createRuntime('ticket-worker', cfg);
    const queue = runtime.queue(QueueName.tickets);
    const worker = runtime.worker(QueueName.tickets, async () => 'done');
    const redis = runtime.connection;
    expect(runtime.metrics).toBe(runtime.metrics);
    expect(runtime.budget).toBe(runtime.budget);
    await worker.waitUntilReady();
    const job = await queue.add('probe', {});
    await new Promise<void>((resolve) => worker.once('completed', () => resolve()));
    expect((await queue.getJob(job.id!))?.returnvalue).toBe('done');

    const observer = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    try {
      // The first snapshot is written at once.
      expect(await observer.exists(metricsKey(cfg.queuePrefix, 'ticket-worker'))).toBe(1);
      await runtime.close();
      // QUIT answered; the socket then ends.
      if (redis.status !== 'end') await new Promise((resolve) => redis.once('end', resolve));
      expect(worker.isRunning()).toBe(false);
      expect(await observer.exists(metricsKey(cfg.queuePrefix, 'ticket-worker'))).toBe(0);
    } finally {
      await observer.quit();
    }
  });
});

/** A process stand-in: signals and fatal errors emitted by the test, exit codes recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  let exited!: (code: number) => void;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const codes: number[] = [];
  const proc: ProcessLike = {
    once: (event, listener) => emitter.once(event, listener),
    on: (event, listener) => emitter.on(event, listener),
    exit: (code) => {
      codes.push(code);
      exited(code);
    },
  };
  return { emit: (event: string, ...args: unknown[]) => emitter.emit(event, ...args), proc, exit, codes };
}

describe('stopOnce', () => {
  it('SIGTERM closes the runtime once and exits 0; SIGINT after it changes nothing', async () => {
    const runtime = createRuntime('test', config());
    let closes = 0;
    runtime.own('worker', 0, () => void closes++);
    const { emit, proc, exit, codes } = fakeProcess();
    stopOnce(runtime, Promise.resolve(), { proc });
    emit('SIGTERM');
    emit('SIGINT');
    expect(await exit).toBe(0);
    expect({ closes, codes }).toEqual({ closes: 1, codes: [0] });
  });

  it('a fatal error (an unhandled rejection) closes the runtime and exits 1', async () => {
    const runtime = createRuntime('test', config());
    let closes = 0;
    runtime.own('worker', 0, () => void closes++);
    const { emit, proc, exit } = fakeProcess();
    stopOnce(runtime, Promise.resolve(), { proc });
    emit('unhandledRejection', new Error('lost'));
    emit('SIGTERM');
    expect(await exit).toBe(1);
    expect(closes).toBe(1);
  });

  it('a signal during the start closes what the start opened, once it is done', async () => {
    const runtime = createRuntime('test', config());
    const closed: string[] = [];
    let finishStart!: () => void;
    const started = new Promise<void>((resolve) => (finishStart = resolve));
    const { emit, proc, exit } = fakeProcess();
    stopOnce(runtime, started, { proc });
    emit('SIGTERM');
    runtime.own('opened late in the start', 0, () => void closed.push('opened late in the start'));
    // Nothing closes while the start is still running.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toEqual([]);
    finishStart();
    expect(await exit).toBe(0);
    expect(closed).toEqual(['opened late in the start']);
  });

  it('a close that fails exits 1', async () => {
    const runtime = createRuntime('test', config());
    runtime.own('queue', 0, () => Promise.reject(new Error('stuck')));
    const { emit, proc, exit } = fakeProcess();
    stopOnce(runtime, Promise.resolve(), { proc });
    emit('SIGINT');
    expect(await exit).toBe(1);
  });
});
