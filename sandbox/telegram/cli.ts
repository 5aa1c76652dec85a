/**
 * `tidings sandbox telegram [--port N] [--host H]`: runs the Telegram sandbox until
 * SIGINT or SIGTERM. The first stdout line is exactly
 * `telegram sandbox listening on <url>` (scripts wait for it); the web chat URL follows.
 */
import { startTelegramSandbox } from './server.ts';
import type { TelegramSandbox } from './server.ts';

export const DEFAULT_PORT = 4020;

interface CliOptions {
  port: number;
  host: string;
}

function parseArgs(argv: string[]): CliOptions | string {
  const options: CliOptions = { port: DEFAULT_PORT, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = inline ?? argv[i + 1];
    if (inline === undefined && (flag === '--port' || flag === '--host')) i += 1;
    if (flag === '--port') {
      const port = Number(value);
      if (!value || !Number.isInteger(port) || port < 0 || port > 65535) {
        return `--port needs a number from 0 to 65535 (0 picks a free port), got "${value ?? ''}"`;
      }
      options.port = port;
    } else if (flag === '--host') {
      if (!value) return '--host needs a value';
      options.host = value;
    } else {
      return `unknown argument "${arg}"`;
    }
  }
  return options;
}

/**
 * Runs the sandbox as a command. Resolves with the running sandbox, or undefined after
 * printing a usage error (exit code 2).
 */
export async function runTelegramSandboxCli(argv: string[]): Promise<TelegramSandbox | undefined> {
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    process.stderr.write(
      `telegram sandbox: ${options}\nusage: tidings sandbox telegram [--port N] [--host H]\n`,
    );
    process.exitCode = 2;
    return undefined;
  }
  const sandbox = await startTelegramSandbox(options);
  process.stdout.write(`telegram sandbox listening on ${sandbox.url}\n`);
  process.stdout.write(`web chat: ${sandbox.url}/chat\n`);
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return sandbox;
}
