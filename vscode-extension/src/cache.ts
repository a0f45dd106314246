// A small LRU cache of the server's answers, keyed by the text before the cursor.
//
// Only the last KEY_CHARS characters of the prefix form the key: the prefix window sent to
// the server slides as the user types, and a key of bounded length stays cheap to compare.
// "Typing through" a suggestion (typing exactly the characters it proposed) finds the entry
// the suggestion came from and serves the rest of it without asking the server again.

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

  /** The cached choices for `prefix`: an exact hit, or the rest of earlier choices whose start
   * the user has typed since. `undefined` when nothing applies (ask the server). */
  get(prefix: string): string[] | undefined {
    const key = cacheKey(prefix);
    const hit = this.entries.get(key);
    if (hit) {
      this.set(key, hit);
      return hit;
    }
    const rest = this.typedThrough(prefix, key);
    if (rest.length) {
      this.set(key, rest);
      return rest;
    }
    return undefined;
  }

  clear(): void {
    this.entries.clear();
  }

  private typedThrough(prefix: string, key: string): string[] {
    const found: string[] = [];
    const newestFirst = [...this.entries].reverse();
    for (const [oldKey, choices] of newestFirst) {
      for (const choice of choices) {
        // typed = choice[0:k], for k from 1 to len - 1 (something must remain to suggest)
        for (let k = 1; k < choice.length; k++) {
          const typed = choice.slice(0, k);
          if (!prefix.endsWith(typed)) continue;
          if (cacheKey(oldKey + typed) === key && !found.includes(choice.slice(k))) found.push(choice.slice(k));
        }
      }
      if (found.length) return found;
    }
    return found;
  }
}
