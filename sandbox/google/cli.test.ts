import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseGoogleSandboxArgs } from './cli.ts';

describe('command line', () => {
  it('parses --port, --host and --seed', () => {
    expect(
      parseGoogleSandboxArgs(['--port', '0', '--seed', '/tmp/seed', '--host', '127.0.0.1']),
    ).toStrictEqual({
      port: 0,
      host: '127.0.0.1',
      seed: '/tmp/seed',
    });
    expect(() => parseGoogleSandboxArgs(['--port', 'x'])).toThrow('--port must be 0..65535, got x');
  });

  it('prints the listening line first and closes on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(process.execPath, [cli, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    const url = first.replace('google sandbox listening on ', '');
    const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
    };
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect([
      /^google sandbox listening on http:\/\/127\.0\.0\.1:\d+$/.test(first),
      discovery.issuer,
      code,
    ]).toStrictEqual([true, url, 0]);
  });
});
