/**
 * What the commands print. Every line goes through `visible` (src/report/visible.ts), so no text from
 * a fixture, a client, a product file or a bundle can drive the terminal; the summary table, whose
 * colours are the harness's own, makes its data visible piece by piece and is printed with `table`.
 */
import { visible } from '../report/visible.ts';

export function out(text: string): void {
  process.stdout.write(visible(text));
}

export function err(text: string): void {
  process.stderr.write(visible(text));
}

/** Text already made visible where it came from (renderSummaryTable), with the harness's colours. */
export function table(text: string): void {
  process.stdout.write(text);
}
