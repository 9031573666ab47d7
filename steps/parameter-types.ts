import { defineParameterType } from '@cucumber/cucumber';
import type { Platform } from '../src/fixtures/types.ts';

defineParameterType({
  name: 'platform',
  regexp: /Windows|macOS/,
  transformer: (name: string): Platform => (name === 'Windows' ? 'windows' : 'macos'),
});
