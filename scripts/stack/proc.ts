import { readFileSync } from 'node:fs';

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** RSS and PSS of a process in MB, from /proc/<pid>/smaps_rollup; PSS shares each shared page among the processes mapping it. */
export interface Footprint {
  rssMB: number;
  pssMB: number;
}

export function footprint(pid: number | undefined): Footprint {
  if (!pid) return { rssMB: 0, pssMB: 0 };
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    return { rssMB: round(kB('Rss') / 1024), pssMB: round(kB('Pss') / 1024) };
  } catch {
    return { rssMB: 0, pssMB: 0 };
  }
}

/**
 * CPU time (user + system, all of its threads) a process has used so far, in milliseconds,
 * from /proc/<pid>/stat (utime and stime, in clock ticks of 10 ms on Linux). NaN once it is gone.
 */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    // The command name (field 2) may hold spaces; the fields after its ")" start with the state (field 3).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
