import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, reachable } from '../../scripts/stack/redis-server.js';

export interface TestCluster {
  /** REDIS_URL for the product: `redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

/**
 * A local Redis Cluster of `masters` masters (no replicas) on free ports: each a
 * `redis-server --cluster-enabled yes`, joined with `redis-cli --cluster create`.
 * Waits until CLUSTER INFO says the state is ok on every node.
 */
export async function startRedisCluster(masters = 3): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'promton-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null) return undefined;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i += 1) {
      const port = await freePort();
      ports.push(port);
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      const deadline = Date.now() + 10_000;
      while (!(await reachable(`redis://127.0.0.1:${port}`))) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server --cluster-enabled did not start on port ${port}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
    });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = ports.map((p) => spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout);
      if (states.every((info) => /cluster_state:ok/.test(info))) break;
      if (Date.now() > deadline) throw new Error(`the cluster did not reach state ok:\n${states.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis-cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, stop };
}

/** The node of the cluster that serves `key`'s slot, and the slot. */
export function keySlot(cluster: TestCluster, key: string): number {
  return Number(spawnSync('redis-cli', ['-p', String(cluster.ports[0]), 'cluster', 'keyslot', key], { encoding: 'utf8' }).stdout.trim());
}

/** Keys in `slot` on whichever master holds it (0 when none). */
export function keysInSlot(cluster: TestCluster, slot: number): number {
  return Math.max(
    ...cluster.ports.map(
      (p) => Number(spawnSync('redis-cli', ['-p', String(p), 'cluster', 'countkeysinslot', String(slot)], { encoding: 'utf8' }).stdout.trim()) || 0,
    ),
  );
}
