/**
 * The installed `tidings` command (`bin/tidings.js`): plain JavaScript that any Node can
 * start, handing over to a Node that runs TypeScript — itself when new enough, the bundled
 * Node 24 otherwise — with the CLI's exit code.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/tidings.js');
const SYSTEM_NODE = '/usr/bin/node';

async function run(node: string, args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, [BIN, ...args], {
      env: { PATH: '/usr/bin:/bin' },
    });
    return { code: 0, firstLine: stdout.split('\n')[0], stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, firstLine: failed.stdout.split('\n')[0], stderr: failed.stderr };
  }
}

describe('bin/tidings.js', () => {
  it('runs the CLI on the Node that starts it', async () => {
    expect(await run(process.execPath, ['help'])).toStrictEqual({
      code: 0,
      firstLine: 'tidings — read Gmail and Google Calendar from Telegram, self-hosted',
      stderr: '',
    });
  });

  it('passes the exit code of the CLI on', async () => {
    const result = await run(process.execPath, ['no-such-command']);
    expect([result.code, result.stderr.split('\n')[0]]).toStrictEqual([
      2,
      'tidings: unknown command "no-such-command"',
    ]);
  });

  const systemNode = existsSync(SYSTEM_NODE) ? SYSTEM_NODE : null;
  it.runIf(systemNode)('hands over to the bundled Node when the system Node is older', async () => {
    expect(await run(systemNode!, ['help'])).toStrictEqual({
      code: 0,
      firstLine: 'tidings — read Gmail and Google Calendar from Telegram, self-hosted',
      stderr: '',
    });
  });
});
