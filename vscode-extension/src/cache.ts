// A small LRU cache of the server's answers, keyed by the text before the cursor.
//
// Only the last KEY_CHARS characters of the prefix form the key: the prefix window sent to
// the server slides as the user types, and a key of bounded length stays cheap to compare.
// Only the same text gets a cached answer. While the user types through a suggestion, VS Code
// keeps showing its rest by itself until the provider answers; the provider then asks the
// server, whose answer for the longer text is better informed (the rest of an old suggestion
// was right less often: tools/bench_editor.py --typed-through).

export const KEY_CHARS = 256;

export function cacheKey(prefix: string): string {
  return prefix.length > KEY_CHARS ? prefix.slice(-KEY_CHARS) : prefix;
}

export class CompletionCache {
  private entries = new Map<string, string[]>();  // insertion order = least recently used first

  constructor(readonly capacity = 100) {}

  get size(): number {
    return this.entries.size;
  }

  set(prefix: string, choices: string[]): void {
    const key = cacheKey(prefix);
    this.entries.delete(key);
    this.entries.set(key, choices);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** The cached choices for `prefix` (the same last KEY_CHARS characters); `undefined` when
   * there are none (ask the server). */
  get(prefix: string): string[] | undefined {
    const key = cacheKey(prefix);
    const hit = this.entries.get(key);
    if (hit) this.set(key, hit);
    return hit;
  }

  clear(): void {
    this.entries.clear();
  }
}
