// Starts the real ihosd for a browser test: a fresh SQLite database in a temporary directory,
// port 0 (the server writes the bound port to --port-file), the built web app from web/dist.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, access } from 'node:fs/promises';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const buildDir = path.resolve(repoRoot, process.env.IHOS_BUILD_DIR || 'build');
const ihosd = path.join(buildDir, 'ihosd');
const ihos = path.join(buildDir, 'ihos');
const webRoot = path.join(repoRoot, 'web', 'dist');

async function requireFile(file, hint) {
  try {
    await access(file);
  } catch {
    throw new Error(`${file} not found: ${hint}`);
  }
}

/** A fresh temporary directory holding the test's database and server log. */
export async function makeWorkDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'ihos-e2e-'));
  return { dir, db: `sqlite:${path.join(dir, 'e2e.db')}` };
}

/** Creates an admin account with the CLI (before the server starts). */
export async function createAdmin(work, { phone, password, realName, idNumber }) {
  await requireFile(ihos, 'build the C++ targets first (cmake --build build), or set IHOS_BUILD_DIR');
  // --db is an option of `ihos` itself, so it goes before the subcommand.
  const args = ['--db', work.db, 'admin', 'create', '--phone', phone, '--password', password, '--real-name', realName, '--id-number', idNumber];
  try {
    await execFileP(ihos, args, { cwd: repoRoot, timeout: 60_000 });
  } catch (e) {
    throw new Error(`ihos admin create failed (${e.code}): ${e.stderr || e.stdout || e.message}`);
  }
}

/**
 * Starts ihosd on 127.0.0.1 with a free port. Returns { baseUrl, stop }; stop() ends the process by
 * its PID (SIGTERM, then SIGKILL) and removes the temporary directory. `passwordProfile` is the
 * --password-hash-profile (default "test", fast); the prescription test uses the server's default
 * because seed-demo seals the demo signing PIN with it and the server opens PINs with its own.
 */
export async function startServer(work, { passwordProfile = 'test' } = {}) {
  await requireFile(ihosd, 'build the C++ targets first (cmake --build build), or set IHOS_BUILD_DIR');
  await requireFile(path.join(webRoot, 'index.html'), 'build the web app first (npm run build)');
  const portFile = path.join(work.dir, 'port');
  const logFile = path.join(work.dir, 'ihosd.log');
  const log = createWriteStream(logFile);
  const args = [
    '--db', work.db,
    '--listen', '127.0.0.1:0',
    '--web-root', webRoot,
    ...(passwordProfile ? [`--password-hash-profile=${passwordProfile}`] : []),
    '--port-file', portFile,
    // Every registration sends a demo SMS code from 127.0.0.1; a file registering many users
    // would pass the per-address hourly send limit (30). Raised for the browser tests only.
    '--sms-sends-per-address', '100000',
  ];
  const child = spawn(ihosd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  const tail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '');

  let port = 0;
  const deadline = Date.now() + 20_000;
  while (!port) {
    if (exited) throw new Error(`ihosd exited early (${JSON.stringify(exited)}):\n${tail()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`ihosd did not write ${portFile} within 20 s:\n${tail()}`);
    }
    try {
      const text = (await readFile(portFile, 'utf8')).trim();
      if (/^\d+$/.test(text) && Number(text) > 0) port = Number(text);
    } catch {
      // not written yet
    }
    if (!port) await new Promise((r) => setTimeout(r, 50));
  }
  const baseUrl = `http://127.0.0.1:${port}`;

  async function stop() {
    if (!exited) {
      process.kill(child.pid, 'SIGTERM');
      const killer = setTimeout(() => {
        if (!exited) process.kill(child.pid, 'SIGKILL');
      }, 5_000);
      await exitPromise;
      clearTimeout(killer);
    }
    log.end();
    if (!process.env.IHOS_E2E_KEEP) await rm(work.dir, { recursive: true, force: true });
  }

  return { baseUrl, stop, logTail: tail, pid: child.pid };
}
