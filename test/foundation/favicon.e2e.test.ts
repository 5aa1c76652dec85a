/**
 * Every server with pages answers the browser's `/favicon.ico`, so no page of Tidings or of
 * the sandboxes leaves a 404 in the browser console: Tidings' own result pages, the Google
 * consent page, the Telegram web chat, and the model stand-in.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelSandbox } from '../../sandbox/llm/index.ts';
import { hasChromium, launchChromium } from '../support/chromium.harness.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';

describe('icons', () => {
  let stack: Stack;
  let model: Awaited<ReturnType<typeof startModelSandbox>>;

  beforeAll(async () => {
    stack = await startStack(DATABASES[0]!, { telegram: true });
    model = await startModelSandbox({ port: 0 });
  });

  afterAll(async () => {
    await model?.close();
    await stack?.close();
  });

  const origins = () => ({
    tidings: stack.app.url,
    google: stack.google.url,
    telegram: stack.telegram!.url,
    model: new URL(model.url).origin,
  });

  it('are served by Tidings and by every sandbox', async () => {
    const answers: Record<string, unknown> = {};
    for (const [name, origin] of Object.entries(origins())) {
      const response = await fetch(`${origin}/favicon.ico`);
      answers[name] = {
        status: response.status,
        type: response.headers.get('content-type'),
        svg: (await response.text()).startsWith('<svg'),
      };
    }
    const expected = { status: 200, type: 'image/svg+xml', svg: true };
    expect(answers).toStrictEqual({
      tidings: expected,
      google: expected,
      telegram: expected,
      model: expected,
    });
  });

  /** Failed loads and console errors of everything but the page's own document. */
  async function problemsOf(browser: Browser, url: string): Promise<string[]> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400 && response.url() !== url)
        problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && message.location().url !== url)
        problems.push(`console: ${message.text()} (${message.location().url})`);
    });
    await page.goto(url, { waitUntil: 'load' });
    // The icon, fetched as the tab would, answers too.
    const icon = await page.goto(new URL('/favicon.ico', url).href);
    problems.push(...(icon?.status() === 200 ? [] : [`icon ${icon?.status()} for ${url}`]));
    await page.close();
    return problems;
  }

  it.skipIf(!hasChromium)('leave no failed load in the console of any page', async () => {
    const browser = await launchChromium();
    try {
      const { tidings, telegram } = origins();
      const pages = [
        // A Tidings result page (the callback without a connect in progress).
        `${tidings}/oauth/google/callback`,
        `${telegram}/chat`,
      ];
      const problems: Record<string, string[]> = {};
      for (const url of pages) problems[url] = await problemsOf(browser, url);
      expect(problems).toStrictEqual(Object.fromEntries(pages.map((url) => [url, []])));
    } finally {
      await browser.close();
    }
  });
});
