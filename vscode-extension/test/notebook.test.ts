import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CellText, notebookContext } from '../src/notebook';

const code = (text: string, language = 'python'): CellText => ({ kind: 'code', language, text });
const md = (text: string): CellText => ({ kind: 'markup', language: 'markdown', text });

test('earlier code cells are the prefix, later ones the suffix, a blank line between cells', () => {
  const cells = [code('import numpy as np\n'), md('# Data'), code('xs = np.arange(10)'), code('ys = xs *'), code('print(ys)\n\n'), code('ys.sum()')];
  const ctx = notebookContext(cells, 3, 'ys = xs *', '', 2000);
  assert.equal(ctx.prefix, 'import numpy as np\n\nxs = np.arange(10)\n\nys = xs *');
  assert.equal(ctx.suffix, '\n\nprint(ys)\n\nys.sum()');
});

test('markdown, other languages and empty cells are left out', () => {
  const cells = [md('Some *prose*'), code('%%bash\nls', 'shellscript'), code('   \n'), code('a = 1'), code('')];
  assert.deepEqual(notebookContext(cells, 4, '', '', 2000), { prefix: 'a = 1\n\n', suffix: '' });
});

test('the first cell alone is just its own text', () => {
  assert.deepEqual(notebookContext([code('x = 1'), code('y')], 0, 'x = ', '1', 2000), { prefix: 'x = ', suffix: '1\n\ny' });
});

test('cut to contextChars before the cursor and a quarter as many after it', () => {
  const cells = [code('a'.repeat(100)), code('b = 2'), code('c'.repeat(100))];
  const ctx = notebookContext(cells, 1, 'b = ', '2', 20);
  assert.equal(ctx.prefix, '\nb = ');  // from the first line start in the last 20 characters
  assert.equal(ctx.suffix, '2\n\ncc');  // 20 / 4 = 5 characters
});
