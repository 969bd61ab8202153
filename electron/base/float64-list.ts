/**
 * A growing list of numbers kept in a Float64Array: 8 bytes a number outside the JavaScript heap, so a
 * list as long as a file has rows (the marks of a large CSV spool) stays out of the heap's bound.
 */
export class Float64List {
  #items = new Float64Array(1024);
  length = 0;

  push(...values: number[]): void {
    this.pushAll(values);
  }

  pushAll(values: ArrayLike<number>): void {
    if (this.length + values.length > this.#items.length) {
      const grown = new Float64Array(Math.max(this.#items.length * 2, this.length + values.length));
      grown.set(this.#items.subarray(0, this.length));
      this.#items = grown;
    }
    for (let i = 0; i < values.length; i++) this.#items[this.length++] = values[i] as number;
  }

  at(i: number): number {
    return this.#items[i] as number;
  }

  /** Keeps the first `length` numbers. */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  /** The numbers, as a view that later pushes may leave behind. */
  view(): Float64Array {
    return this.#items.subarray(0, this.length);
  }
}
