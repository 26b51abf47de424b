export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** One `motortwin` sub-command; `run` returns the process exit code. */
export interface CliCommand {
  name: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}
