/**
 * Claim: a connect started on one instance finishes on the other. The link is made by
 * instance A, opened on B, its "Continue to Google" form posted to A (which sets the
 * browser-binding cookie and sends the browser to Google), and Google's redirect lands on
 * B — each step on the instance named, bypassing the balancer. The one-time values live
 * in the shared database and the cookie is signed with a key both derive from the master
 * key: B accepts A's cookie, refuses a cookie of another session, and A refuses the
 * callback replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Cluster,
  control,
  NO_POSTGRES,
  startCluster,
  suiteTitle,
} from './instances.harness.ts';

const OWNER = 'cara@example.com';
const SECOND = 'cara.work@example.com';

/** The same URL on one instance (the link and redirects name `PUBLIC_URL`, the balancer). */
function on(instance: string, url: string): string {
  const target = new URL(url);
  target.host = new URL(instance).host;
  return target.toString();
}

describe.skipIf(NO_POSTGRES)(suiteTitle('a connect across two instances'), () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster([{ email: OWNER, telegramId: null }]);
    await control(cluster.google.url, '/users', { email: SECOND, name: 'Cara at work' });
    await control(cluster.google.url, '/auto-approve', { email: SECOND });
  }, 180_000);
  afterAll(async () => {
    await cluster?.close();
  });

  const instanceUrl = (index: number) => cluster.instances[index]!.url;
  const apiKey = () => cluster.accounts[0]!.apiKey;

  async function connectLink(index: number): Promise<string> {
    const answer = await fetch(`${instanceUrl(index)}/v1/connect-links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey()}` },
    });
    expect(answer.status).toBe(201);
    return ((await answer.json()) as { url: string }).url;
  }

  /** Opens the link on one instance and posts its form to another: the cookie and Google's URL. */
  async function begin(link: string, openOn: number, postTo: number) {
    const page = await fetch(on(instanceUrl(openOn), link), { redirect: 'manual' });
    const html = await page.text();
    const form =
      /<form method="post" action="([^"]+)">\s*<input type="hidden" name="ticket" value="([^"]+)">/.exec(
        html,
      );
    expect({ status: page.status, form: form !== null }).toStrictEqual({ status: 200, form: true });
    const posted = await fetch(on(instanceUrl(postTo), form![1]!.replaceAll('&amp;', '&')), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ticket: form![2]! }),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const cookie = posted.headers.get('set-cookie')!.split(';')[0]!;
    const consent = await fetch(posted.headers.get('location')!, { redirect: 'manual' });
    return { cookie, callback: consent.headers.get('location')! };
  }

  const land = (index: number, callback: string, cookie: string) =>
    fetch(on(instanceUrl(index), callback), { headers: { cookie }, redirect: 'manual' });

  it('finishes on B what A began, refuses another session’s cookie there, and a replay on A', async () => {
    const mine = await begin(await connectLink(0), 1, 0);
    const finished = await land(1, mine.callback, mine.cookie);
    const finishedHtml = await finished.text();
    const replayed = await land(0, mine.callback, mine.cookie);

    // Two more sessions, one begun on each instance: B refuses A's callback with B's cookie.
    const begunOnA = await begin(await connectLink(0), 0, 0);
    const begunOnB = await begin(await connectLink(1), 1, 1);
    const crossed = await land(1, begunOnA.callback, begunOnB.cookie);

    const listed = await fetch(`${instanceUrl(1)}/v1/connections`, {
      headers: { authorization: `Bearer ${apiKey()}` },
    });
    const { connections } = (await listed.json()) as { connections: Array<{ email: string }> };
    expect({
      finished: finished.status,
      names: finishedHtml.includes(SECOND),
      replayed: replayed.status,
      replayCode: (await replayed.text()).includes('<code>oauth_state_invalid</code>'),
      crossed: crossed.status,
      crossedWhy: (await crossed.text()).includes('does not belong to this browser session'),
      emails: connections.map((connection) => connection.email).sort(),
    }).toStrictEqual({
      finished: 200,
      names: true,
      replayed: 400,
      replayCode: true,
      crossed: 400,
      crossedWhy: true,
      emails: [OWNER, SECOND].sort(),
    });
  });
});
