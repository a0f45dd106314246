// When to ask the server, and the one-line form of a suggestion. (The server trims its answers
// against the text after the cursor: the client shows them as they come.)

/** The text after the cursor up to the end of its line. */
export function restOfLine(suffix: string): string {
  const nl = suffix.indexOf('\n');
  return nl < 0 ? suffix : suffix.slice(0, nl);
}

/** Should an *automatic* suggestion be asked for here? Not in the middle of a word or of code:
 * only when the rest of the line is empty or closing punctuation such as `)`, `]`, `":`. */
export function worthAsking(suffix: string): boolean {
  return !/[\w]/.test(restOfLine(suffix));
}

/** The single-line form used for dropdown items. */
export function firstLine(text: string): string {
  return restOfLine(text).replace(/\s+$/, '');
}
