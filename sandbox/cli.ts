/**
 * `tidings sandbox google|telegram`: starts an offline stand-in. Lives beside the sandboxes
 * so that product code never imports them.
 */
export async function runSandboxCli(argv: string[]): Promise<number> {
  const [which, ...rest] = argv;
  if (which === 'google') {
    const { runGoogleSandboxCli } = await import('./google/index.ts');
    await runGoogleSandboxCli(rest);
    return 0;
  }
  if (which === 'telegram') {
    const { runTelegramSandboxCli } = await import('./telegram/index.ts');
    // Undefined: the arguments were wrong and the usage was printed.
    return (await runTelegramSandboxCli(rest)) === undefined ? 2 : 0;
  }
  if (which === 'llm')
    return (await (await import('./llm/index.ts')).runModelSandboxCli(rest)) ? 0 : 2;
  console.error(
    'usage: tidings sandbox google [--port N] [--seed DIR] | tidings sandbox telegram [--port N] | tidings sandbox llm [--port N] [--mode M]',
  );
  return 2;
}
