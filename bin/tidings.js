#!/usr/bin/env node
/**
 * The `tidings` command once installed (`npm install -g`, `npm link`, `npx tidings`). Tidings
 * is TypeScript that Node runs directly, which needs Node 22.18 or newer; the Node 24 that
 * comes with the package as a dependency is used whenever the Node running this file is
 * older. Signals are passed on and the exit code is the CLI's.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
const stripsTypes = major > 22 || (major === 22 && minor >= 18);
const bundled = join(root, 'node_modules', 'node', 'bin', 'node');
const node = stripsTypes ? process.execPath : existsSync(bundled) ? bundled : null;

if (!node) {
  process.stderr.write(
    `tidings: needs Node.js 22.18 or newer (this is ${process.version}); run npm install in ${root} to get the bundled Node 24\n`,
  );
  process.exit(1);
}

// The embedded database is PostgreSQL compiled to WebAssembly. V8's optimising tier would
// recompile it in the background after start, holding hundreds of megabytes (an idle
// server: about 730 MB against 240 MB) for no speed Tidings' small queries can measure;
// the baseline compiler alone keeps the process small.
const child = spawn(
  node,
  ['--liftoff-only', join(root, 'src', 'cli.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
