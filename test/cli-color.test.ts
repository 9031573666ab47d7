/** When the summary is in colour: --no-color, FORCE_COLOR, NO_COLOR, then whether stdout is a terminal. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useColor } from '../src/cli/color.ts';

test('--no-color, then FORCE_COLOR, then NO_COLOR, then the terminal decide', () => {
  const cases: [boolean, NodeJS.ProcessEnv, boolean, boolean][] = [
    [true, {}, true, true],
    [true, {}, false, false],
    [false, { FORCE_COLOR: '1' }, true, false],
    [true, { FORCE_COLOR: '1' }, false, true],
    [true, { FORCE_COLOR: 'true' }, false, true],
    [true, { FORCE_COLOR: '3' }, false, true],
    [true, { FORCE_COLOR: '0' }, true, false],
    [true, { FORCE_COLOR: 'false' }, true, false],
    [true, { FORCE_COLOR: '' }, true, true],
    [true, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [true, { NO_COLOR: '1' }, true, false],
    [true, { NO_COLOR: '' }, true, true],
  ];
  for (const [flag, env, terminal, expected] of cases) {
    assert.equal(useColor(flag, env, terminal), expected, JSON.stringify({ flag, env, terminal }));
  }
});
