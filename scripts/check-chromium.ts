/**
 * Part of `npm test`: the browser tests need Chromium, which this project never downloads. Without
 * one, stop here with one line saying how to get it, rather than with every browser test failing.
 */
import { BrowserUnavailableError, findChromium } from '../src/browser/chromium.ts';

const found = findChromium();
if (found) {
  process.stdout.write(`chromium: ${found}\n`);
} else {
  process.stderr.write(`${new BrowserUnavailableError().message}\n`);
  process.exitCode = 1;
}
