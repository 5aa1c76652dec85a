/**
 * The local admin socket: with the embedded database only one process may open it, so a
 * CLI command run while the server is up sends its work here instead. The socket lives in
 * `DATA_DIR` with mode 0600 — file permissions are the authentication.
 * Protocol: one JSON line `{command, args}` in, one JSON line `{ok, lines | error}` out.
 */
import { chmod, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

const MAX_REQUEST_BYTES = 64 * 1024;

export interface AdminRequest {
  command: string;
  args: string[];
}

export type AdminResponse = { ok: true; lines: string[] } | { ok: false; error: string };

export type AdminHandler = (request: AdminRequest) => Promise<string[]>;

export function adminSocketPath(dataDir: string): string {
  return path.join(dataDir, 'admin.sock');
}

export interface AdminSocketServer {
  path: string;
  close(): Promise<void>;
}

export async function listenAdminSocket(
  dataDir: string,
  handle: AdminHandler,
): Promise<AdminSocketServer> {
  const socketPath = adminSocketPath(dataDir);
  if (await isServerListening(socketPath)) {
    throw new Error(
      `another Tidings process is already running on ${dataDir} (admin socket answers)`,
    );
  }
  await rm(socketPath, { force: true });
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) {
        socket.end(`${JSON.stringify({ ok: false, error: 'request too large' })}\n`);
        return;
      }
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      const line = buffer.slice(0, newline);
      socket.pause();
      respond(line).then((response) => socket.end(`${JSON.stringify(response)}\n`));
    });
  });

  async function respond(line: string): Promise<AdminResponse> {
    let request: AdminRequest;
    try {
      const parsed = JSON.parse(line) as Partial<AdminRequest>;
      if (typeof parsed.command !== 'string' || !Array.isArray(parsed.args))
        throw new Error('bad shape');
      request = { command: parsed.command, args: parsed.args.map(String) };
    } catch {
      return { ok: false, error: 'malformed admin request' };
    }
    try {
      return { ok: true, lines: await handle(request) };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }

  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(previous);
  }
  await chmod(socketPath, 0o600);
  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rm(socketPath, { force: true }).catch(() => {});
      }),
  };
}

function isServerListening(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Sends a command to a running server. Resolves `null` when no server listens on this
 * `DATA_DIR` (the caller then opens the database itself).
 */
export function sendAdminCommand(
  dataDir: string,
  request: AdminRequest,
): Promise<AdminResponse | null> {
  const socketPath = adminSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffer = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
    });
    socket.once('end', () => {
      try {
        resolve(JSON.parse(buffer.trim()) as AdminResponse);
      } catch {
        reject(new Error('the running server sent an unreadable answer'));
      }
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (!connected && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) resolve(null);
      else reject(error);
    });
  });
}
