/**
 * Every command of `connector-conformance` and its flags, declared once: the help of the program and
 * of each command is generated from here. Each command's module turns its flags into typed options
 * (and refuses bad values in one line). Its modules are imported when the command runs, so this
 * one loads nothing heavy: `serve-client`, started once per worker, starts fast.
 */
import { Command, Option } from 'commander';
import { packageVersion } from '../package-layout.ts';
import type { ExploreFlags } from './explore.ts';

/** What `run` is given: commander's values, strings until args.ts parses them. */
export interface RunFlags {
  config?: string;
  profile?: string;
  client?: string;
  userAgent?: string;
  evidence?: string;
  platform?: string;
  clientVersion?: string;
  defect?: string;
  tags?: string;
  name?: string[];
  reportDir?: string;
  parallel?: string;
  freshContext?: boolean;
  fixtures?: string;
  color: boolean;
  clientCommand?: string;
  actionTimeout?: string;
  expect?: string;
  baseline?: string;
  bundle?: boolean;
  product?: string;
  signingKey?: string;
  shard?: string;
  repeat?: string;
  rerunFailed?: string;
  passWithNoScenarios?: boolean;
}

export interface MergeFlags {
  reportDir?: string;
  color: boolean;
}

export interface ServeClientFlags {
  platform?: string;
  clientVersion?: string;
  port?: string;
  authentication?: string;
}

export interface BridgeWebDriverFlags {
  webdriver?: string;
  capabilities?: string;
  uiMap?: string;
  port?: string;
  platform?: string;
  clientVersion?: string;
}

export interface EnvUpFlags {
  port?: string;
  fixtures?: string;
}

const EXIT_CODES = `
Exit codes: 0 every applicable requirement conforms (or is expected not to),
1 a nonconformance, a listed cell that now conforms or a regression against the
baseline, 2 a harness or environment error or bad input.`;

/** `connector-conformance run`'s arguments and flags (also parsed alone: args.ts parseRunArgs). */
export function declareRun(command: Command): Command {
  return command
    .summary('Run the conformance suite and write reports')
    .description(
      'Run the conformance suite and write reports (default: every target, the reference client). ' +
        'Scenarios are selected as with cucumber-js: by feature file and line, by --name and by --tags, ' +
        'on every target where they apply.',
    )
    .argument(
      '[features...]',
      'only these feature files (features/x.feature), or the scenarios or Examples rows at these lines ' +
        '(features/x.feature:LINE, or :LINE:LINE...)',
    )
    .option(
      '--config <file>',
      'the settings of the run from a config file (docs/config.md; default: the ' +
        'connector-conformance.config.{ts,mjs,js,json,yaml,yml} of the current directory); flags override it',
    )
    .option('--profile <name>', 'lay that profile of the config file over its settings')
    .option(
      '--client <name>',
      'reference (default: the bundled client, in process), ui (its web UI through Chromium), ui:URL ' +
        '(a web client honouring docs/ui-contract.md), remote:URL (a client serving ccdp/1 at URL on ' +
        'this machine; the run takes its platform and version unless given) or image:NAME[:TAG] (a ' +
        'local image serving ccdp/1, see Dockerfile: one container per worker and target, started with ' +
        'testcontainers, host networking) or module:PATH (a driver of your own: the module exports a ' +
        'ClientDriver factory, docs/api.md)',
    )
    .option(
      '--user-agent <agent>',
      'who signs in at the identity provider: http or browser (default: browser for ui clients, else http)',
    )
    .option(
      '--evidence <mode>',
      'none, failures or all: screenshots after each step that changes the screen and traces of ' +
        'failing scenarios (default: all for ui clients, else failures)',
    )
    .option('--platform <platform>', 'windows, macos or all (default all)')
    .option(
      '--client-version <x.y>',
      'one client version instead of the default set (Windows 4.7, 4.6, 4.5; macOS 4.7)',
    )
    .option('--defect <name>', "switch on one of the reference client's defects (see the defects command)")
    .option('--tags <expression>', 'Cucumber tag expression, e.g. "@req:EX-MAIN-ON"')
    .addOption(
      new Option(
        '--name <regex>',
        'only the scenarios whose name matches the regular expression (repeatable: any of them)',
      ).argParser(collect),
    )
    .option(
      '--report-dir <dir>',
      'where reports go (default reports): conformance.json, the page index.html, summary.md ' +
        '(Markdown), targets/<platform>-<version>/',
    )
    .option(
      '--parallel <n>',
      'targets run n at a time: in this process and n-1 worker processes (default 0: one after the other, in this process). Pays where scenarios are slow (--client ui, containers); in process and through ccdp/1 a target takes a few seconds, about what a worker takes to start. Each lane wants its own cores: a --client ui lane keeps about 1.4 busy (BENCHMARKS.md)',
    )
    .option(
      '--fresh-context',
      'a new browser context per scenario, instead of one per worker reset between scenarios ' +
        '(slower; the isolation is the same)',
    )
    .option('--fixtures <dir>', 'fixtures folder (default the bundled fixtures)')
    .option('--no-color', 'a plain summary (also NO_COLOR; FORCE_COLOR forces colour)')
    .option(
      '--client-command <cmd>',
      'start a client serving the driver protocol ccdp/1 (docs/driver-protocol.md), one per worker: ' +
        'the shell command, with {port} (a free port on 127.0.0.1) and optionally {platform} and ' +
        '{version} (the target) put in; implies --client remote',
    )
    .option(
      '--action-timeout <ms>',
      'how long a remote client may take to answer one request (default 10000)',
    )
    .option(
      '--expect <file>',
      'cells known not to conform (YAML, see the expect command): a listed cell that does not conform ' +
        'is expected-nonconforming and passes; one that conforms fails the run until it is removed',
    )
    .option('--baseline <old.json>', 'compare with an earlier report; its regressions fail the run')
    .option(
      '--bundle',
      'also write reports/certification-bundle.tar: the reports, evidence and a manifest (product, ' +
        "suite digest, environment, every file's SHA-256) signed with Ed25519",
    )
    .option('--product <file>', 'with --bundle: YAML naming vendor, product, version, build (and platforms)')
    .option(
      '--signing-key <key.pem>',
      'with --bundle: the Ed25519 private key to sign with (default: a fresh key, whose public half is printed)',
    )
    .option(
      '--shard <i/n>',
      "only the I-th of N slices of the run's scenarios (every target's, dealt round robin); give " +
        'each shard the same other flags, then merge',
    )
    .option('--repeat <n>', 'run every scenario N times; one whose verdicts differ is flaky (exit 1)')
    .option(
      '--rerun-failed <file>',
      'run again only the scenarios that did not pass in FILE (a conformance.json), on its targets; ' +
        'the requirements not run again are not-covered',
    )
    .option(
      '--pass-with-no-scenarios',
      'exit 0 when the selection (features, --name, --tags, --shard, --rerun-failed) matches no ' +
        'scenario; without it such a run exits 2: it checked nothing',
    );
}

/** A repeatable flag's values, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Runs a command's action; `done` gets its exit code. */
type Done = (code: number) => void;

/**
 * The program. Nothing runs at declaration: each action imports its command's module. Parse errors
 * reach the caller as a CommanderError (exitOverride), not printed: main.ts prints them in one line.
 */
export function createProgram(done: Done): Command {
  const program = new Command('connector-conformance')
    .description(
      'Conformance harness for Zscaler Client Connector builds: the documented Adding a Partner ' +
        'Tenant flows on Windows and macOS.',
    )
    .version(packageVersion(), '-V, --version', 'the version of connector-conformance')
    .addHelpText('after', EXIT_CODES);

  declareRun(program.command('run')).action(async (features: string[], flags: RunFlags) =>
    done(await (await import('./run-command.ts')).runCommand(flags, features)),
  );

  program
    .command('merge')
    .summary('Merge the report folders of sharded runs into one')
    .description(
      "Merge the report folders of run --shard 1/N … N/N (several runs' shards too, one set per " +
        'platform or version) into one, as one unsharded run would have written it.',
    )
    .argument('<dir...>', 'the report folders of the shards')
    .option('--report-dir <dir>', 'where the merged reports go (default reports)')
    .option('--no-color', 'a plain summary (also NO_COLOR; FORCE_COLOR forces colour)')
    .action(async (dirs: string[], flags: MergeFlags) =>
      done(await (await import('./merge.ts')).mergeCommand(flags, dirs)),
    );

  program
    .command('serve-client')
    .summary('Serve the reference client over ccdp/1 on 127.0.0.1')
    .description(
      'Serve the reference client over ccdp/1 on 127.0.0.1 until SIGTERM/SIGINT; prints ' +
        '"ccdp/1 listening on http://127.0.0.1:PORT" first.',
    )
    .option('--platform <platform>', 'windows or macos')
    .option('--client-version <x.y>', 'the version it is')
    .option('--port <n>', 'the port (default 0: any free one)')
    .option(
      '--authentication <where>',
      'where the sign-in page shows: browser (its URL reported for a browser, the default) or embedded (in the authentication window, as a web view)',
    )
    .action(async (flags: ServeClientFlags) =>
      done(await (await import('./serve-client.ts')).serveClientCommand(flags)),
    );

  program
    .command('explore')
    .summary('Explore action sequences no scenario wrote; a violation comes back as Gherkin')
    .description(
      'Model-based testing (fast-check): random sequences of what a person can do (open Private ' +
        'Access, Close, add a partner tenant, a wrong password, a cancelled sign-in, Turn On, Turn ' +
        "Off, restart) run as the suite's own steps against the client, with the invariants and the " +
        "model's expectations checked after every action. A sequence that breaks one is shrunk to the " +
        'shortest and written as REPORT_DIR/found/<requirement>-<seed>.feature, which `run` replays. ' +
        'Exit 0 nothing broken, 1 a violation, 2 bad input or a failure of the harness.',
    )
    .option('--client <client>', 'the client, as run takes it (default reference)')
    .option('--client-command <command>', 'starts a ccdp/1 client on {port} (implies --client remote)')
    .option('--platform <platform>', 'windows or macos (default windows)')
    .option('--client-version <x.y>', 'the version it is (default 4.7)')
    .option('--defect <name>', "switch on one of the reference client's defects")
    .option('--runs <n>', `sequences to try at most (default 200)`)
    .option('--max-steps <k>', 'actions per sequence at most (default 20)')
    .option('--seed <s>', 'the seed (default a random one, printed): the same seed tries the same sequences')
    .option('--time-budget <seconds>', 'no new sequence after this many seconds (default 60)')
    .option('--report-dir <dir>', 'where explore.json, explore.html and found/ go (default explore-report)')
    .option('--fixtures <dir>', 'the fixtures folder (default the bundled one)')
    .action(async (flags: ExploreFlags) => done(await (await import('./explore.ts')).exploreCommand(flags)));

  program
    .command('check-client')
    .summary('Self-test a ccdp/1 adapter before a conformance run')
    .description(
      'Self-test a ccdp/1 adapter (docs/driver-protocol.md) before a conformance run: its status, a ' +
        'session with each action kind, the long poll, every error, the Host check, the schema of ' +
        'every answer and response times, against the simulated world started on 127.0.0.1. Prints a ' +
        'table; exit 0 every check passed (warnings allowed), 1 one failed, 2 bad input.',
    )
    .argument('<url>', 'where the adapter serves ccdp/1: http://127.0.0.1:PORT')
    .option('--json', 'the results as JSON')
    .option(
      '--action-timeout <ms>',
      'how long one request may take (a long poll: its wait plus this; default 10000)',
    )
    .option(
      '--platform <platform>',
      'the platform the adapter must be: windows or macos (default: its status)',
    )
    .option('--client-version <x.y>', 'the version it must be (default: its status)')
    .option(
      '--policy-api <url>',
      'a simulated world already running (env up, bundled fixtures) instead of starting one',
    )
    .action(async (url: string, flags: import('./check-client.ts').CheckClientFlags) =>
      done(await (await import('./check-client.ts')).checkClientCommand(url, flags)),
    );

  program
    .command('bridge')
    .summary('Serve ccdp/1 for a client driven through its UI (bridge webdriver)')
    .description('Serve ccdp/1 for a client driven through its user interface.')
    .command('webdriver')
    .summary('Serve ccdp/1 on 127.0.0.1, each session and action through a WebDriver session')
    .description(
      'Serve ccdp/1 on 127.0.0.1 until SIGTERM/SIGINT, performing each session and action through a ' +
        "WebDriver session (Appium, WinAppDriver, chromedriver) on the client's UI, read by a UI map " +
        '(docs/bridge.md); prints "ccdp/1 listening on http://127.0.0.1:PORT" first.',
    )
    .option('--webdriver <url>', 'the WebDriver server, e.g. http://127.0.0.1:4723/')
    .option('--capabilities <file>', 'a JSON file: the W3C capabilities of each WebDriver session')
    .option('--ui-map <file>', "a YAML file: how the client's windows are found and read")
    .option('--port <n>', 'the port (default 0: any free one)')
    .option('--platform <platform>', "windows or macos (default: the map's client.platform)")
    .option('--client-version <x.y>', "the client's version (default: the map's client.version)")
    .action(async (flags: BridgeWebDriverFlags) =>
      done(await (await import('./bridge.ts')).bridgeWebDriverCommand(flags)),
    );

  program
    .command('env')
    .summary('The simulated world alone (env up)')
    .description('The simulated world alone.')
    .command('up')
    .summary('Start the simulated world on 127.0.0.1 and print its URLs')
    .description(
      'Start the simulated world alone (identity providers, the policy API over HTTP) on 127.0.0.1 ' +
        'and print its URLs; runs until SIGTERM/SIGINT.',
    )
    .option(
      '--port <n>',
      "the policy API's port, the identity providers on the next ones (default 0: free ports)",
    )
    .option('--fixtures <dir>', 'fixtures folder (default the bundled fixtures)')
    .action(async (flags: EnvUpFlags) => done(await (await import('./env-up.ts')).envUpCommand(flags)));

  program
    .command('expect')
    .summary('Write an expect file listing the cells of a report that do not conform')
    .description('Write an expect file listing every nonconforming or blocked cell of a report.')
    .requiredOption('--from <report>', 'the conformance.json (or its folder) to read')
    .option('--out <file>', 'where to write it (default: stdout); each entry\'s reason is "TODO: why"')
    .action(async (flags: { from: string; out?: string }) =>
      done(await (await import('./gate-commands.ts')).expectCommand(flags)),
    );

  program
    .command('diff')
    .summary('Regressions, fixes and other changes between two reports')
    .description(
      'Regressions, fixes, other changes, new and removed requirements and targets between two ' +
        'reports; exit 1 when NEW regressed.',
    )
    .argument('<old>', 'the earlier conformance.json (or its folder)')
    .argument('<new>', 'the later one')
    .option('--json', 'the comparison as JSON')
    .action(async (older: string, newer: string, flags: { json?: boolean }) =>
      done(await (await import('./gate-commands.ts')).diffCommand(flags, older, newer)),
    );

  program
    .command('history')
    .summary('One HTML page of each requirement across a series of runs')
    .description(
      'One HTML page of each requirement across a series of runs (folders or conformance.json files, ' +
        'oldest first).',
    )
    .argument('<report...>', 'the runs, oldest first')
    .option('--out <file>', 'where to write it (default history.html)')
    .action(async (reports: string[], flags: { out?: string }) =>
      done(await (await import('./gate-commands.ts')).historyCommand(flags, reports)),
    );

  program
    .command('verify')
    .summary('Check a certification bundle')
    .description(
      "Check a certification bundle: its signature, every file's SHA-256, and that its suite digest " +
        "is a published suite version's; exit 0 verified, 1 not, 2 unreadable.",
    )
    .argument('<bundle>', 'the certification-bundle.tar')
    .option('--public-key <pem>', "the signer's public key (default: the key the bundle carries)")
    .action(async (bundle: string, flags: { publicKey?: string }) =>
      done(await (await import('./certify.ts')).verifyCommand(flags, bundle)),
    );

  program
    .command('requirements')
    .summary('The requirement catalog')
    .description('The requirement catalog as a table, or as JSON.')
    .option('--json', 'the catalog as JSON')
    .action(async (flags: { json?: boolean }) =>
      done(await (await import('./listings.ts')).requirementsCommand(flags)),
    );

  program
    .command('install-deps')
    .summary('Install what the harness needs from the machine (Debian packages, a Docker engine)')
    .description(
      "Install what the harness needs from the machine where it is missing: Debian's chromium, " +
        'chromium-headless-shell, chromium-driver, docker.io and docker-compose (apt-get, as root or ' +
        'through sudo), and start a Docker engine (dockerd, host networking only) where none answers. ' +
        'No browser is downloaded.',
    )
    .option('--check', 'only say what is missing: exit 0 when nothing is, 1 when something is')
    .option('--no-docker', 'leave out Docker (its packages and the engine): for runs without image: clients')
    .action(async (flags: { check?: boolean; docker: boolean }) =>
      done(await (await import('./install-deps.ts')).installDepsCommand(flags)),
    );

  program
    .command('defects')
    .summary("The reference client's defects")
    .description("The reference client's defects (for run --defect) as JSON.")
    .action(async () => done((await import('./listings.ts')).defectsCommand()));

  return program;
}

/** The command and its subcommands, depth first. */
export function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

/** "connector-conformance env up". */
export function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}
