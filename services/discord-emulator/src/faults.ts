export type FaultKind = 'status' | 'delay' | 'timeout';

export interface FaultSpec {
  id?: string;
  method?: string;
  /** Regular expression tested against the REST path (e.g. `/channels/\\d+/messages`), with and without `/api/v10`. */
  path: string;
  kind: FaultKind;
  status?: number;
  delayMs?: number;
  /** Share of matching requests affected, 0..1 (default 1). */
  ratio?: number;
  /** Stop after this many hits. */
  count?: number;
}

export interface Fault {
  id: string;
  method: string | undefined;
  path: RegExp;
  kind: FaultKind;
  status: number;
  delayMs: number;
  ratio: number;
  remaining: number;
  hits: number;
}

export class FaultError extends Error {
  override name = 'FaultError';
}

/** Chaos on demand: 5xx answers, delays and answers that never come. */
export class FaultInjector {
  #faults: Fault[] = [];
  #next = 1;
  hits = 0;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): Fault {
    if (!['status', 'delay', 'timeout'].includes(spec.kind)) throw new FaultError('kind must be status, delay or timeout');
    if (typeof spec.path !== 'string') throw new FaultError('path must be a regular expression string');
    let path: RegExp;
    try {
      path = new RegExp(spec.path);
    } catch {
      throw new FaultError('path is not a valid regular expression');
    }
    const ratio = spec.ratio ?? 1;
    if (!(ratio >= 0 && ratio <= 1)) throw new FaultError('ratio must be between 0 and 1');
    const fault: Fault = {
      id: spec.id ?? `fault-${this.#next++}`,
      method: spec.method?.toUpperCase(),
      path,
      kind: spec.kind,
      status: spec.status ?? 500,
      delayMs: spec.delayMs ?? 0,
      ratio,
      remaining: spec.count ?? Number.POSITIVE_INFINITY,
      hits: 0,
    };
    this.#faults = this.#faults.filter((f) => f.id !== fault.id);
    this.#faults.push(fault);
    return fault;
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length !== before;
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Fault[] {
    return [...this.#faults];
  }

  /** The fault to apply to this request, if any (consumes one of its `count`). */
  match(method: string, path: string, fullPath: string): Fault | undefined {
    for (const fault of this.#faults) {
      if (fault.remaining <= 0) continue;
      if (fault.method && fault.method !== method.toUpperCase()) continue;
      if (!fault.path.test(path) && !fault.path.test(fullPath)) continue;
      if (this.random() >= fault.ratio) continue;
      fault.remaining -= 1;
      fault.hits += 1;
      this.hits += 1;
      return fault;
    }
    return undefined;
  }
}
