// Turning the server's raw text into a suggestion worth showing.

/** The text after the cursor up to the end of its line. */
export function restOfLine(suffix: string): string {
  const nl = suffix.indexOf('\n');
  return nl < 0 ? suffix : suffix.slice(0, nl);
}

/** Python statements that begin a new top-level block: a multi-line suggestion stops before
 * them, as Tabby's does (the model rarely knows what the user wants next at that point). */
const NEW_TOP_LEVEL = /\n(?=(?:async\s+def|def|class|import|from|if __name__)\b)/;

/** Should an *automatic* suggestion be asked for here? Not in the middle of a word or of code:
 * only when the rest of the line is empty or closing punctuation such as `)`, `]`, `":`. */
export function worthAsking(suffix: string): boolean {
  return !/[\w]/.test(restOfLine(suffix));
}

/** Cuts `text` (what the server proposes to insert at the cursor) to what we show:
 * - mid-line (code follows the cursor on its line), at most the rest of the line, without the
 *   closing characters that are already there (`print(|)` + `x)` gives `x`);
 * - a multi-line suggestion stops before a new top-level `def`, `class`, `import`, `from`;
 * - trailing whitespace goes.
 * Returns undefined when nothing is left or when the suggestion only repeats the text after
 * the cursor. */
export function trimCompletion(text: string, suffix: string): string | undefined {
  const rest = restOfLine(suffix);
  let out = text;
  if (rest.trim()) {
    out = restOfLine(out);
    out = dropOverlap(out, rest);
  } else {
    const stop = out.search(NEW_TOP_LEVEL);
    if (stop >= 0) out = out.slice(0, stop);
  }
  out = out.replace(/\s+$/, '');
  if (!out.trim()) return undefined;
  if (repeatsSuffix(out, suffix)) return undefined;
  return out;
}

/** Removes from the end of `text` the longest piece that the line already has right after the
 * cursor, so that accepting does not double it. */
function dropOverlap(text: string, rest: string): string {
  for (let k = Math.min(text.length, rest.length); k > 0; k--) {
    if (text.endsWith(rest.slice(0, k))) return text.slice(0, text.length - k);
  }
  return text;
}

/** True when `text` adds nothing: the code after the cursor already starts with it, up to
 * the end of a line (whitespace at the start ignored, so the lines below count too). */
export function repeatsSuffix(text: string, suffix: string): boolean {
  const t = text.trim();
  const s = suffix.trimStart();
  if (!t || !s.startsWith(t)) return false;
  const after = s.slice(t.length);
  return /^[ \t]*(\r?\n|$)/.test(after);
}

/** The single-line form used for dropdown items. */
export function firstLine(text: string): string {
  return restOfLine(text).replace(/\s+$/, '');
}
