/**
 * `connector-conformance`: the command line is parsed by its one declaration (program.ts), and the
 * command chosen runs. Bad flags or arguments: one line naming them, exit 2 (a run's also leave a
 * report saying so).
 */
import { type Command, CommanderError } from 'commander';
import { flagErrorLine, InputError } from './flags.ts';
import { err } from './output.ts';
import { commandPath, createProgram, everyCommand, type RunFlags } from './program.ts';

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = createProgram((exit) => {
    code = exit;
  });
  let refusedBy: Command = program;
  let running: Command = program;
  program.hook('preAction', (_program, action) => {
    running = action;
  });
  for (const command of everyCommand(program)) {
    command
      .exitOverride((error) => {
        refusedBy = command;
        throw error;
      })
      .configureOutput({ outputError: () => {} });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return refused(refusedBy, error);
    if (!(error instanceof InputError)) throw error;
    err(`${commandPath(running)}: ${error.message}\n`);
    return 2;
  }
  return code;
}

/** The exit code for what commander stopped at: help or the version printed, or bad input. */
async function refused(command: Command, error: CommanderError): Promise<number> {
  // --help, help [command], --version.
  if (error.exitCode === 0) return 0;
  // A command without its subcommand (none at all, or `env`): commander printed its help on stderr.
  if (error.code === 'commander.help') return 2;
  const line = error.code === 'commander.unknownCommand' ? unknownCommand(command) : flagErrorLine(error);
  if (command.name() === 'run') {
    return (await import('./run-command.ts')).refuseRun(command.opts<RunFlags>(), line);
  }
  err(`${commandPath(command)}: ${line}\n`);
  return 2;
}

function unknownCommand(parent: Command): string {
  const names = [...parent.commands.map((command) => command.name()), 'help'];
  const helpFor = parent.parent === null ? '' : ` ${parent.name()}`;
  return `unknown command "${parent.args[0]}" (the commands: ${names.join(', ')}; connector-conformance help${helpFor} says more)`;
}
