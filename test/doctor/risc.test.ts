import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRisc } from '../../src/doctor/risc-check.ts';
import { ALL_RISC_EVENTS, closedPortUrl, RISC_URL, startWorld } from './doctor.harness.ts';
import type { World } from './doctor.harness.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

async function checkWithServiceAccount(options: { roles?: string[] } = {}) {
  const { file, privateKey } = await world.serviceAccount(options);
  const result = await checkRisc(
    world.config({ GOOGLE_RISC_SERVICE_ACCOUNT_FILE: file }),
    world.deps,
  );
  expect(JSON.stringify(result)).not.toContain(privateKey.split('\n')[1]);
  return result;
}

const EMAIL = 'risc-admin@sandbox-doctor-app.iam.gserviceaccount.com';

describe('Cross-Account Protection registration', () => {
  it('is skipped, saying how to turn it on, without a service account file', async () => {
    expect(await checkRisc(world.config(), world.deps)).toStrictEqual({
      id: 'google-risc',
      status: 'skip',
      summary:
        'not checked: set GOOGLE_RISC_SERVICE_ACCOUNT_FILE to a JSON key of a service account with the role RISC Configuration Admin to check that Google pushes security events to PUBLIC_URL/google/risc',
    });
  });

  it('passes when the stream delivers to PUBLIC_URL/google/risc with the token events', async () => {
    await world.registerStream(RISC_URL);
    expect(await checkWithServiceAccount()).toStrictEqual({
      id: 'google-risc',
      status: 'pass',
      summary: `Google pushes security events to ${RISC_URL} (stream enabled, token events asked for)`,
      details: { serviceAccount: EMAIL, deliveryUrl: RISC_URL, eventsRequested: ALL_RISC_EVENTS },
    });
  });

  it('fails when no stream is registered', async () => {
    expect(await checkWithServiceAccount()).toStrictEqual({
      id: 'google-risc',
      status: 'fail',
      summary: 'no Cross-Account Protection stream is registered for this Google Cloud project',
      fix: 'Register PUBLIC_URL/google/risc with stream:update (README, "Cross-Account Protection", steps 3–4).',
    });
  });

  it('fails when the stream delivers to another address', async () => {
    await world.registerStream('https://old.example.com/google/risc');
    const result = await checkWithServiceAccount();
    expect([result.status, result.summary, result.fix]).toStrictEqual([
      'fail',
      `Google pushes security events to https://old.example.com/google/risc, not to ${RISC_URL}`,
      `Point the stream at ${RISC_URL} with stream:update (README, "Cross-Account Protection", steps 3–4).`,
    ]);
  });

  it('fails when the token events are not asked for', async () => {
    await world.registerStream(RISC_URL, [ALL_RISC_EVENTS[3] ?? '']);
    const result = await checkWithServiceAccount();
    expect([result.status, result.summary]).toStrictEqual([
      'fail',
      'the stream does not ask for tokens-revoked and token-revoked: revocations would wait for the daily health check',
    ]);
  });

  it('fails when the stream is disabled', async () => {
    await world.registerStream(RISC_URL, ALL_RISC_EVENTS, 'disabled');
    const result = await checkWithServiceAccount();
    expect([result.status, result.summary]).toStrictEqual([
      'fail',
      `the stream to ${RISC_URL} is disabled: Google sends nothing`,
    ]);
  });

  it('fails with 403 words when the service account lacks the role', async () => {
    await world.registerStream(RISC_URL);
    expect(await checkWithServiceAccount({ roles: ['roles/viewer'] })).toStrictEqual({
      id: 'google-risc',
      status: 'fail',
      summary: `${EMAIL} may not manage Cross-Account Protection (The caller does not have permission)`,
      fix: 'Give the service account the role RISC Configuration Admin (roles/riscconfigs.admin) and enable the RISC API in the project of the OAuth client.',
    });
  });

  it('fails with 401 words when Google does not know the key', async () => {
    const { file } = await world.serviceAccount();
    const other = await startWorld();
    try {
      const result = await checkRisc(
        other.config({ GOOGLE_RISC_SERVICE_ACCOUNT_FILE: file }),
        other.deps,
      );
      expect([result.status, result.summary]).toStrictEqual([
        'fail',
        `Google refused the token signed with the key of ${EMAIL}: the key was deleted or disabled, or the file is not a current key`,
      ]);
    } finally {
      await other.close();
    }
  });

  it('fails when the file is missing or is not a service account key', async () => {
    const missing = path.join(world.dataDir, 'nope.json');
    const notKey = path.join(world.dataDir, 'not-a-key.json');
    await writeFile(notKey, JSON.stringify({ type: 'authorized_user' }));
    const results = await Promise.all(
      [missing, notKey].map((file) =>
        checkRisc(world.config({ GOOGLE_RISC_SERVICE_ACCOUNT_FILE: file }), world.deps),
      ),
    );
    expect(results.map((result) => [result.status, result.summary])).toStrictEqual([
      ['fail', `cannot read GOOGLE_RISC_SERVICE_ACCOUNT_FILE (${missing}): ENOENT`],
      [
        'fail',
        `GOOGLE_RISC_SERVICE_ACCOUNT_FILE (${notKey}) is not a service account JSON key (type service_account with client_email, private_key_id and private_key)`,
      ],
    ]);
  });

  it('fails naming GOOGLE_RISC_API_ROOT when the RISC API cannot be reached', async () => {
    const { file } = await world.serviceAccount();
    const gone = await closedPortUrl();
    const result = await checkRisc(
      world.config({ GOOGLE_RISC_SERVICE_ACCOUNT_FILE: file, GOOGLE_RISC_API_ROOT: gone }),
      world.deps,
    );
    expect(result.summary).toBe(
      `could not reach ${new URL(gone).host} (GOOGLE_RISC_API_ROOT): the connection was refused (nothing listens there)`,
    );
  });
});
