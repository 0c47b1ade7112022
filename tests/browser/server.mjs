// Starting a real `fangxian serve` for the browser tests: a fresh database in a
// temporary folder, seeded with a generated district, on a free port.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(new URL('../..', import.meta.url).pathname);

export function findBinary() {
  const candidates = [
    process.env.FX_BINARY,
    ...['test', 'release', 'lead', 'h-web'].map((d) => path.join(REPO, 'build', d, 'fangxian')),
  ].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`fangxian binary not found (set FX_BINARY); looked at:\n  ${candidates.join('\n  ')}`);
}

export function findWebRoot() {
  const candidates = [process.env.FX_WEB_ROOT, path.join(REPO, 'web', 'dist')].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(path.join(c, 'index.html'))) return c;
  throw new Error(`built dashboard not found (run \`npm --prefix web run build\` or set FX_WEB_ROOT); looked at:\n  ${candidates.join('\n  ')}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs the CLI; throws with its output when it fails. */
export function cli(bin, db, args, { input, allowFail = false } = {}) {
  const r = spawnSync(bin, db ? ['--db', db, ...args] : args, {
    encoding: 'utf8',
    input,
    timeout: 120_000,
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
  });
  if (r.status !== 0 && !allowFail)
    throw new Error(`fangxian ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

export function hasCommand(bin, ...words) {
  const r = cli(bin, null, [...words, '--help'], { allowFail: true });
  return r.status === 0;
}

/** A temporary district: institutions.csv and roster.csv from `fangxian sim district`. */
export function makeDistrict(bin, dir, { people = 3000, institutions = 203, colleges = 13 } = {}) {
  const out = path.join(dir, 'district');
  cli(bin, null, ['sim', 'district', '--people', String(people), '--institutions', String(institutions),
    '--colleges', String(colleges), '--out', out, '--no-xlsx', '--no-gb18030']);
  return { institutions: path.join(out, 'institutions.csv'), roster: path.join(out, 'roster.csv') };
}

/** Reads a CSV written by the simulator (UTF-8, BOM, no quoted commas). */
export function readCsv(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const [head, ...lines] = text.split(/\r?\n/).filter(Boolean);
  const cols = head.split(',');
  return { cols, rows: lines.map((l) => l.split(',')), col: (name) => cols.indexOf(name) };
}

export async function startServer(bin, db, webRoot) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = [];
  const child = spawn(bin, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`, '--web-root', webRoot], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
  });
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  let exited = null;
  child.on('exit', (code, sig) => (exited = { code, sig }));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`fangxian serve exited (${JSON.stringify(exited)}):\n${log.join('')}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  if (Date.now() >= deadline) {
    child.kill('SIGTERM');
    throw new Error(`fangxian serve did not answer /healthz in 30 s:\n${log.join('')}`);
  }
  return {
    base,
    port,
    log,
    child,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const t0 = Date.now();
      while (!exited && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
      if (!exited) child.kill('SIGKILL');
    },
  };
}

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fx-browser-'));
}
