import { UsageError, type CliCommand, type CliIo } from './command';
import { VERSION } from '../platform/version';

/**
 * Each command's module is loaded only when it runs: `serve` pulls in the whole engine (DuckDB, LangChain,
 * the broker), and `--help` or `analyze` in a loop must not pay for that.
 */
const COMMANDS: Array<{ name: string; summary: string; load: () => Promise<CliCommand> }> = [
  { name: 'serve', summary: 'run the engine and the UI headless (open the printed address in a browser)', load: async () => (await import('./commands/serve')).serveCommand },
  { name: 'sim', summary: 'run simulated motors that publish to a broker like real boards', load: async () => (await import('./commands/sim')).simCommand },
  { name: 'export', summary: "export a motor's history as CSV or Parquet", load: async () => (await import('./commands/export')).exportCommand },
  {
    name: 'analyze',
    summary: 'vibration analysis of a recorded waveform (.mat, .csv, .wav): spectrum, envelope, ISO zone, diagnosis',
    load: async () => (await import('./commands/analyze')).analyzeCommand,
  },
  { name: 'flash', summary: 'write firmware to an ESP32 board over USB serial (esptool-js)', load: async () => (await import('./commands/flash')).flashCommand },
  {
    name: 'ask',
    summary: 'ask the twin a question about a motor (the same agent as the chat; without a model, a deterministic answer)',
    load: async () => (await import('./commands/ask')).askCommand,
  },
  { name: 'manuals', summary: 'the maintenance manuals the chat searches: add files or folders, list, remove', load: async () => (await import('./commands/manuals')).manualsCommand },
  { name: 'benchtest', summary: 'run a bench test procedure on a new motor headless and print the verdict', load: async () => (await import('./commands/benchtest')).benchtestCommand },
  {
    name: 'import',
    summary: "import a motor's history from another collector's CSV or Parquet trend export, and replay its alarms",
    load: async () => (await import('./commands/import')).importCommand,
  },
  { name: 'users', summary: 'the accounts people log in to serve with: add, list, remove, passwd, role', load: async () => (await import('./commands/users')).usersCommand },
];

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
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  let command: CliCommand | undefined;
  try {
    command = await entry.load();
    if (args.includes('--help') || args.includes('-h')) {
      io.out(command.usage);
      return 0;
    }
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError && command) {
      io.err(`motortwin ${name}: ${e.message}\n\n${command.usage}`);
      return 2;
    }
    io.err(`motortwin ${name}: ${(e as Error).message}`);
    return 1;
  }
}
