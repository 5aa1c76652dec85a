/**
 * A small browser for the connect pages: a cookie jar that keeps cookies by name and path
 * as a browser does (sent only under their path, removed by `Max-Age=0`), and the steps a
 * person takes: open a connect link, press "Continue to Google" (posting every field of
 * its form), and come back from Google's consent (auto-approved) to the callback.
 */

interface Cookie {
  value: string;
  path: string;
}

export interface Browser {
  /** The names of the cookies the jar holds. */
  cookieNames(): string[];
  /** A request from this browser: its cookies go along, its `Set-Cookie` answers are kept. */
  fetch(url: string, init?: { method?: string; form?: URLSearchParams }): Promise<Response>;
}

export function createBrowser(): Browser {
  const jar = new Map<string, Cookie>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name = '', ...value] = pair.split('=');
      const path = attributes.find((a) => a.startsWith('Path='))?.slice(5) ?? '/';
      if (attributes.includes('Max-Age=0')) jar.delete(name);
      else jar.set(name, { value: value.join('='), path });
    }
  };
  return {
    cookieNames: () => [...jar.keys()].sort(),
    async fetch(url, init = {}) {
      const { pathname } = new URL(url);
      const cookie = [...jar]
        .filter(([, c]) => pathname === c.path || pathname.startsWith(`${c.path}/`))
        .map(([name, c]) => `${name}=${c.value}`)
        .join('; ');
      const response = await fetch(url, {
        method: init.method ?? (init.form ? 'POST' : 'GET'),
        redirect: 'manual',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(init.form ? { body: init.form } : {}),
      });
      keep(response);
      return response;
    },
  };
}

export interface Page {
  status: number;
  html: string;
}

const unescapeHtml = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The stable error code a failure page shows, or null. */
export function codeOf(html: string): string | null {
  return /<code>([a-z_]+)<\/code>/.exec(html)?.[1] ?? null;
}

/** Opens a page and reads it. */
export async function open(browser: Browser, url: string): Promise<Page> {
  const response = await browser.fetch(url);
  return { status: response.status, html: await response.text() };
}

/**
 * Presses the page's "Continue to Google": posts every field of its form. Answers Google's
 * authorization URL when Tidings redirected there, else the page it answered with.
 */
export async function pressContinue(
  browser: Browser,
  page: Page,
): Promise<Page & { authorizeUrl: string | null }> {
  const action = /<form method="post" action="([^"]+)">/.exec(page.html)?.[1];
  if (!action) throw new Error(`no form on the page (${page.status})`);
  const form = new URLSearchParams();
  for (const [, name, value] of page.html.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
  )) {
    form.append(unescapeHtml(name!), unescapeHtml(value!));
  }
  const response = await browser.fetch(unescapeHtml(action), { form });
  const authorizeUrl = response.status === 303 ? response.headers.get('location') : null;
  return { status: response.status, html: await response.text(), authorizeUrl };
}

/** Google's consent (auto-approved in the sandbox), then back to Tidings' callback. */
export async function backFromGoogle(browser: Browser, authorizeUrl: string): Promise<Page> {
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  const callback = consent.headers.get('location');
  if (!callback) throw new Error(`Google's consent answered ${consent.status} without a redirect`);
  return open(browser, callback);
}

/** The whole way: open the link, continue, consent, callback. */
export async function connectThrough(browser: Browser, url: string): Promise<Page> {
  const page = await open(browser, url);
  if (page.status !== 200) return page;
  const started = await pressContinue(browser, page);
  if (!started.authorizeUrl) return started;
  return backFromGoogle(browser, started.authorizeUrl);
}
