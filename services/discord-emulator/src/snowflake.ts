const DISCORD_EPOCH = 1420070400000n;

/**
 * Real Discord snowflakes (timestamp << 22 | worker | increment). When more than 4096
 * ids are asked for within one millisecond the timestamp is advanced, so ids stay
 * unique and ordered under bulk seeding.
 */
export class SnowflakeGenerator {
  #lastMs = 0n;
  #increment = 0n;

  next(): string {
    let now = BigInt(Date.now());
    if (now < this.#lastMs) now = this.#lastMs;
    if (now === this.#lastMs) {
      this.#increment += 1n;
      if (this.#increment > 0xfffn) {
        this.#lastMs += 1n;
        this.#increment = 0n;
      }
    } else {
      this.#lastMs = now;
      this.#increment = 0n;
    }
    return (((this.#lastMs - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.#increment).toString();
  }
}

export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{17,20}$/.test(value);
}
