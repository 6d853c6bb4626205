/** A DNS worker's Node options: the primary's, with a smaller young generation unless one was chosen. */
import { WORKER_SEMI_SPACE_MIB, workerExecArgv } from './worker-flags';

const added = `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`;

test.each([
  [[], [added]],
  [['--enable-source-maps'], ['--enable-source-maps', added]],
  [['--max-semi-space-size=32'], ['--max-semi-space-size=32']],
  [['--max_semi_space_size=2', '--inspect'], ['--max_semi_space_size=2', '--inspect']],
  // The flag's value as the next argument (node accepts both spellings).
  [['--max-semi-space-size', '4'], ['--max-semi-space-size', '4']],
  [['--max-old-space-size=512'], ['--max-old-space-size=512', added]],
])('%j -> %j', (parent, expected) => {
  expect(workerExecArgv(parent)).toEqual(expected);
});
