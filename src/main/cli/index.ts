import { UsageError, type CliCommand, type CliIo } from './command';
import { serveCommand } from './commands/serve';
import { simCommand } from './commands/sim';
import { exportCommand } from './commands/export';
import { analyzeCommand } from './commands/analyze';
import { flashCommand } from './commands/flash';
import { askCommand } from './commands/ask';
import { manualsCommand } from './commands/manuals';
import { benchtestCommand } from './commands/benchtest';
import { importCommand } from './commands/import';
import { VERSION } from '../version';

const COMMANDS: CliCommand[] = [serveCommand, simCommand, exportCommand, analyzeCommand, flashCommand, askCommand, manualsCommand, benchtestCommand, importCommand];

const defaultIo: CliIo = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `motortwin ${VERSION}: live digital twins of electric motors`,
    '',
    'usage: motortwin <command> [options]     (motortwin <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`motortwin ${name}: ${e.message}\n\n${command.usage}`);
      return 2;
    }
    io.err(`motortwin ${name}: ${(e as Error).message}`);
    return 1;
  }
}
