/**
 * The gateway's line of interactions to answer. Up to `limit` are answered at once; the
 * others wait in arrival order. One that waited longer than `maxWaitMs` is dropped
 * unanswered: Discord refuses an initial response after 3 s, so by then answering it would
 * only spend the CPU and memory that the fresh ones behind it need. Without the line an
 * overloaded gateway started every interaction it read at once, answered none of them in
 * time and grew until its heap cap ended it.
 */
export class InteractionLine<T> {
  readonly #waiting: { item: T; at: number }[] = [];
  #head = 0;
  #active = 0;

  constructor(
    /** Answers one (and reports its own failures: a rejection only frees the place). */
    private readonly answer: (item: T) => Promise<void>,
    private readonly options: {
      /** Answered at once at most. */
      limit: number;
      /** How long one may wait for its turn before it is dropped (ms, from when it was read). */
      maxWaitMs: number;
      /** Told of each interaction dropped. */
      onShed: (item: T) => void;
      now?: () => number;
    },
  ) {}

  /** How many wait for their turn. */
  get waiting(): number {
    return this.#waiting.length - this.#head;
  }

  push(item: T): void {
    this.#waiting.push({ item, at: this.#now() });
    this.#next();
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #next(): void {
    while (this.#active < this.options.limit && this.#head < this.#waiting.length) {
      const { item, at } = this.#waiting[this.#head]!;
      this.#waiting[this.#head++] = undefined as never;
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting.splice(0, this.#head);
        this.#head = 0;
      }
      if (this.#now() - at > this.options.maxWaitMs) {
        this.options.onShed(item);
        continue;
      }
      this.#active += 1;
      const done = () => {
        this.#active -= 1;
        this.#next();
      };
      this.answer(item).then(done, done);
    }
  }
}
