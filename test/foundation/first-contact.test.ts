/**
 * What a newcomer meets first: the Node the README asks for is the one `engines` declares
 * and the one `npm install` can run on, and Tidings itself runs on the Node 24 it brings.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface PackageJson {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

async function packageJson(): Promise<PackageJson> {
  return JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
}

describe('the Node a newcomer needs', () => {
  it('is the same in the README and in engines', async () => {
    const { engines } = await packageJson();
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const requirement = /^Requirements: Node\.js (\d+\.\d+) or newer with npm/m.exec(readme)?.[1];
    expect({ engines: engines?.node, readme: requirement }).toStrictEqual({
      engines: `>=${requirement}`,
      readme: requirement,
    });
  });

  it('is enough for npm, while the product runs on the Node 24 it installs', async () => {
    const { dependencies = {}, scripts = {} } = await packageJson();
    const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } }>;
    };
    // The lockfile repeats the root's engines: the two must not drift apart.
    expect(lock.packages['']?.engines?.node).toBe((await packageJson()).engines?.node);
    expect(dependencies.node).toMatch(/^\^24\./);
    expect(lock.packages['node_modules/node']?.version).toMatch(/^24\./);
    // Every script runs `node` (or a package's bin, whose `#!/usr/bin/env node` finds the
    // same one) from node_modules/.bin, which npm puts first on PATH: never a fixed path.
    const lines = Object.values(scripts);
    expect(
      lines.filter((line) => /^(exec )?node( --[a-z-]+)* src\/cli\.ts\b/.test(line)).length,
    ).toBeGreaterThan(3);
    expect(
      lines.filter((line) => /(^|[\s/])(\/usr)?\/bin\/node\b|nodejs/.test(line)),
    ).toStrictEqual([]);
  });
});
