/** The Cucumber formatter plugin that writes junit.xml (junit.ts) as a target runs. */
import type { Envelope } from '@cucumber/messages';
import { JUnitReport } from './junit.ts';

export default {
  type: 'formatter',
  optionsKey: 'junit',
  formatter({
    options,
    on,
    write,
  }: {
    options: { suiteName?: string };
    on: (type: 'message', handler: (message: Envelope) => void) => void;
    write: (content: string) => void;
  }) {
    const report = new JUnitReport(options.suiteName ?? 'Cucumber');
    on('message', (message) => {
      report.update(message);
      if (message.testRunFinished) write(report.xml());
    });
  },
};
