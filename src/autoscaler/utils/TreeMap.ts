/**
 * The part of java.util.TreeMap the autoscaler uses, for keys that are numbers (Instants
 * as epoch milliseconds): iteration in ascending key order, first/last keys, and the
 * head/tail ranges. Keys mostly arrive in ascending order, so insertion appends.
 */
export class TreeMap<V> {
  private keysSorted: number[] = [];
  private readonly map = new Map<number, V>();
  /** The entries iteration goes over, made once until the next change (a change makes a new array: a loop under way keeps its own). */
  private iterated: readonly [number, V][] | null = null;

  constructor(entries: Iterable<readonly [number, V]> = []) {
    for (const [k, v] of entries) this.put(k, v);
  }

  get size(): number {
    return this.keysSorted.length;
  }

  isEmpty(): boolean {
    return this.keysSorted.length === 0;
  }

  get(key: number): V | undefined {
    return this.map.get(key);
  }

  containsKey(key: number): boolean {
    return this.map.has(key);
  }

  put(key: number, value: V): void {
    if (!this.map.has(key)) {
      const keys = this.keysSorted;
      if (keys.length === 0 || keys[keys.length - 1]! < key) keys.push(key);
      else {
        let i = keys.length;
        while (i > 0 && keys[i - 1]! > key) i--;
        keys.splice(i, 0, key);
      }
    }
    this.map.set(key, value);
    this.iterated = null;
  }

  remove(key: number): V | undefined {
    const v = this.map.get(key);
    if (this.map.delete(key)) {
      this.keysSorted = this.keysSorted.filter((k) => k !== key);
      this.iterated = null;
    }
    return v;
  }

  clear(): void {
    this.keysSorted = [];
    this.map.clear();
    this.iterated = null;
  }

  firstKey(): number {
    if (this.keysSorted.length === 0) throw new Error("NoSuchElementException");
    return this.keysSorted[0]!;
  }

  lastKey(): number {
    if (this.keysSorted.length === 0) throw new Error("NoSuchElementException");
    return this.keysSorted[this.keysSorted.length - 1]!;
  }

  lastEntry(): [number, V] | undefined {
    if (this.keysSorted.length === 0) return undefined;
    const k = this.lastKey();
    return [k, this.map.get(k)!];
  }

  pollFirstEntry(): [number, V] | undefined {
    const k = this.keysSorted.shift();
    if (k === undefined) return undefined;
    const v = this.map.get(k)!;
    this.map.delete(k);
    this.iterated = null;
    return [k, v];
  }

  /** A copy of the entries with keys >= fromKey (tailMap). */
  tailMap(fromKey: number): TreeMap<V> {
    if (Number.isNaN(fromKey)) return new TreeMap(); // no key compares >= NaN
    return this.copyOfRange(this.firstIndexAtLeast(fromKey), this.keysSorted.length);
  }

  /** A copy of the entries with keys < toKey (headMap). */
  headMap(toKey: number): TreeMap<V> {
    if (Number.isNaN(toKey)) return new TreeMap(); // nor < NaN
    return this.copyOfRange(0, this.firstIndexAtLeast(toKey));
  }

  /** The index of the first key >= key (the keys' count when none is). */
  private firstIndexAtLeast(key: number): number {
    let lo = 0;
    let hi = this.keysSorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keysSorted[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A copy of the entries from index `from` to `to` (exclusive), taken as they are: they are sorted already. */
  private copyOfRange(from: number, to: number): TreeMap<V> {
    const copy = new TreeMap<V>();
    copy.keysSorted = this.keysSorted.slice(from, to);
    for (const k of copy.keysSorted) copy.map.set(k, this.map.get(k)!);
    return copy;
  }

  /** Removes the entries with keys < toKey (headMap(toKey).clear()); returns how many. */
  removeHead(toKey: number): number {
    let n = 0;
    while (this.keysSorted.length > 0 && this.keysSorted[0]! < toKey) {
      this.map.delete(this.keysSorted.shift()!);
      this.iterated = null;
      n++;
    }
    return n;
  }

  keys(): number[] {
    return [...this.keysSorted];
  }

  values(): V[] {
    const keys = this.keysSorted;
    const out = new Array<V>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = this.map.get(keys[i]!)!;
    return out;
  }

  /** The entries in key order (what iteration goes over: the evaluator iterates the metric history a dozen times per reconcile). */
  entriesArray(): [number, V][] {
    const keys = this.keysSorted;
    const out = new Array<[number, V]>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = [keys[i]!, this.map.get(keys[i]!)!];
    return out;
  }

  [Symbol.iterator](): Iterator<[number, V]> {
    this.iterated ??= this.entriesArray();
    return this.iterated[Symbol.iterator]() as Iterator<[number, V]>;
  }
}
