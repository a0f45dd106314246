// Context for a cell of a notebook (.ipynb) in VS Code, as Tabby does it: the code cells above
// the current one come before the cursor, the code cells below it after, each separated from
// the next by a blank line. Only Python code cells count (markdown and other languages are
// skipped); the result is cut to the same window as in a file.

import { Context, contextWindow, lineStart } from './engine';

export interface CellText {
  kind: 'code' | 'markup';
  language: string;
  text: string;
}

/** The text between two cells (a blank line, as between top-level blocks of a file). */
export const CELL_SEPARATOR = '\n\n';

/** Prefix and suffix for the cursor in `cells[index]`, where `before`/`after` are the current
 * cell's text before/after the cursor; at most `contextChars` characters before the cursor and a
 * quarter as many after it. */
export function notebookContext(cells: CellText[], index: number, before: string, after: string, contextChars: number): Context {
  const usable = (c: CellText) => c.kind === 'code' && c.language === 'python' && c.text.trim() !== '';
  const above = cells.slice(0, index).filter(usable).map((c) => c.text.replace(/\s+$/, ''));
  const below = cells.slice(index + 1).filter(usable).map((c) => c.text.replace(/\s+$/, ''));
  const prefix = above.map((t) => t + CELL_SEPARATOR).join('') + before;
  const suffix = after + below.map((t) => CELL_SEPARATOR + t).join('');
  const { start, end } = contextWindow(prefix.length, contextChars);
  return { prefix: prefix.slice(lineStart(prefix, start, prefix.length)), suffix: suffix.slice(0, end - prefix.length) };
}
