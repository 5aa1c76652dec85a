/**
 * Runs the Google sandbox from a shell: `--port N` (0 = any free port, default 4010),
 * `--host H`, `--seed DIR`. The first stdout line is
 * `google sandbox listening on <url>`; SIGINT/SIGTERM close it.
 */
import { resolve } from 'node:path';
import type { GoogleSandbox } from './start.ts';
import { startGoogleSandbox } from './start.ts';

export interface GoogleSandboxCliOptions {
  port: number;
  host: string;
  seed: string | undefined;
}

export function parseGoogleSandboxArgs(argv: string[]): GoogleSandboxCliOptions {
  const options: GoogleSandboxCliOptions = { port: 4010, host: '127.0.0.1', seed: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag !== '--port' && flag !== '--seed' && flag !== '--host') {
      throw new Error(`Unknown argument: ${flag}. Usage: [--port N] [--host H] [--seed DIR]`);
    }
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i += 1;
    if (flag === '--port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new Error(`--port must be 0..65535, got ${value}`);
      options.port = port;
    } else if (flag === '--host') {
      options.host = value;
    } else {
      options.seed = resolve(value);
    }
  }
  return options;
}

export async function runGoogleSandboxCli(argv: string[]): Promise<GoogleSandbox> {
  const options = parseGoogleSandboxArgs(argv);
  const sandbox = await startGoogleSandbox({
    port: options.port,
    host: options.host,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  process.stdout.write(`google sandbox listening on ${sandbox.url}\n`);
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return sandbox;
}

if (import.meta.main) {
  runGoogleSandboxCli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`google sandbox: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
