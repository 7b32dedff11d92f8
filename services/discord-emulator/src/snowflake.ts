const DISCORD_EPOCH = 1420070400000n;

/**
 * Real Discord snowflakes (timestamp << 22 | worker | increment). When more than 4096
 * ids are asked for within one millisecond the timestamp is advanced, so ids stay
 * unique and ordered under bulk seeding.
 */
export class SnowflakeGenerator {
  #lastMs = 0n;
  #increment = 0n;
  #pastMs = BigInt(Date.now());

  /**
   * An id from a distinct, earlier millisecond each call, like guilds created over
   * time before the bot joined: shard routing ((id >> 22) % shards) then spreads
   * them across shards as it does on Discord, even when thousands are seeded at once.
   */
  past(): string {
    this.#pastMs -= 1n;
    return (((this.#pastMs - DISCORD_EPOCH) << 22n) | (1n << 17n)).toString();
  }

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
