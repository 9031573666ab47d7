/**
 * What happened on screen, kept beside the report: a screenshot after each step that changed the
 * client's window, and a Playwright trace of every scenario that did not pass. The report links to
 * the files (text/uri-list attachments); it does not inline them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { EvidenceMode } from './evidence-mode.ts';

interface Shot {
  file: string;
  png: Buffer;
}

type Attach = (data: string, mediaType: string) => void;

/** Contexts whose tracing was started: each scenario then records one chunk. */
const tracing = new WeakSet<BrowserContext>();

export class ScenarioEvidence {
  readonly #mode: EvidenceMode;
  readonly #reportDir: string;
  readonly #dir: string;
  #last: Buffer | undefined;
  #pending: Shot[] = [];
  #count = 0;
  #tracing: BrowserContext | undefined;

  /** `reportDir` is the target's report folder (links are relative to it); `scenario` names the subfolder. */
  constructor(mode: EvidenceMode, reportDir: string, scenario: string) {
    this.#mode = mode;
    this.#reportDir = reportDir;
    this.#dir = path.join(reportDir, 'evidence', scenario);
  }

  get enabled(): boolean {
    return this.#mode !== 'none';
  }

  /** Records the scenario as one trace chunk of `context` (which may serve several scenarios in turn). */
  async startTrace(context: BrowserContext): Promise<void> {
    if (!this.enabled) return;
    if (!tracing.has(context)) {
      // DOM snapshots, not a screencast: the step screenshots show the screen, and a screencast would
      // cost the browser a frame encoding for every paint.
      await context.tracing.start({ screenshots: false, snapshots: true });
      tracing.add(context);
    }
    await context.tracing.startChunk();
    this.#tracing = context;
  }

  /** After a step: keep the screenshot when the screen changed since the last one. */
  async afterStep(step: string, png: Buffer | undefined, attach: Attach): Promise<void> {
    if (!this.enabled || !png || this.#last?.equals(png)) return;
    this.#last = png;
    this.#count += 1;
    const shot = { file: `${String(this.#count).padStart(2, '0')}-${slug(step)}.png`, png };
    if (this.#mode === 'all') attach(await this.#write(shot), 'text/uri-list');
    else this.#pending.push(shot);
  }

  /** After the scenario: in `failures` mode, keep its screenshots only if it did not pass; its trace likewise. */
  async finish(passed: boolean, attach: Attach): Promise<void> {
    if (!passed) {
      for (const shot of this.#pending) attach(await this.#write(shot), 'text/uri-list');
    }
    this.#pending = [];
    const context = this.#tracing;
    this.#tracing = undefined;
    if (!context) return;
    if (passed) {
      await context.tracing.stopChunk();
      return;
    }
    await mkdir(this.#dir, { recursive: true });
    const trace = path.join(this.#dir, 'trace.zip');
    await context.tracing.stopChunk({ path: trace });
    attach(path.relative(this.#reportDir, trace), 'text/uri-list');
  }

  async #write(shot: Shot): Promise<string> {
    await mkdir(this.#dir, { recursive: true });
    const file = path.join(this.#dir, shot.file);
    await writeFile(file, shot.png);
    return path.relative(this.#reportDir, file);
  }
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'step'
  );
}
