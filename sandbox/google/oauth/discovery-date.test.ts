import { afterEach, describe, expect, it } from 'vitest';
import { startTestSandbox } from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

describe('the Date header of discovery and keys', () => {
  it('is the sandbox clock, so a test can give the server a clock of its own', async () => {
    const pinned = new Date('2031-07-01T08:30:15Z');
    sandbox = await startTestSandbox(() => pinned);
    const discovery = await fetch(`${sandbox.url}/.well-known/openid-configuration`);
    const keys = await fetch(`${sandbox.url}/oauth2/v3/certs`);
    expect([discovery.headers.get('date'), keys.headers.get('date')]).toStrictEqual([
      'Tue, 01 Jul 2031 08:30:15 GMT',
      'Tue, 01 Jul 2031 08:30:15 GMT',
    ]);
  });
});
