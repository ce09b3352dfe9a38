// What the CLI's declaration (local/cli.ts) and its commands (local/commands.ts) share, kept apart so that
// `vpn-bridge --help` loads nothing else.

export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}
