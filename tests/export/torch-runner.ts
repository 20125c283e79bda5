/** Runs the committed PyTorch scripts of tests/fixtures/export with Debian's python3 (python3-torch). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/export');
const PYTHON = process.env['RNNLAB_TORCH_PYTHON'] ?? '/usr/bin/python3';

/** Runs `script` from the fixtures folder `dir` (tests/fixtures/export unless given). */
export function python(script: string, args: string[], dir: string = FIXTURES): string {
  try {
    return execFileSync(PYTHON, [join(dir, script), ...args], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${script} failed (PyTorch comes from Debian's python3-torch, which .ci/run installs): ${err.stderr ?? err.message}`);
  }
}

export interface TorchResult {
  logits: number[];
  hn: number[];
  cn: number[] | null;
}

/** One python process for every job, so torch is imported once. */
export function torchLogits(jobs: Array<{ dir: string; ids: number[] }>): TorchResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-torch-'));
  writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
  python('torch_logits.py', [join(dir, 'jobs.json'), join(dir, 'out.json')]);
  return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as TorchResult[];
}

/** `python3 -m module args` in `cwd` (e.g. torch.distributed.run, which is what torchrun runs). */
export function pythonModule(module: string, args: string[], cwd: string, timeout = 180_000): string {
  try {
    return execFileSync(PYTHON, ['-m', module, ...args], { cwd, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`python3 -m ${module} failed (PyTorch comes from Debian's python3-torch, which .ci/run installs): ${err.stderr ?? err.message}`);
  }
}

/**
 * `torchrun --standalone --nproc_per_node=N` on a free port. Torch 1.13's `--standalone` always
 * rendezvouses on localhost:29400, so a torchrun of another process on a shared machine (or a stale
 * store there) makes ours wait for peers that never come; this asks for the same single-node c10d
 * rendezvous on a port that is free now.
 */
export async function torchrunStandalone(nproc: number, args: string[], cwd: string): Promise<string> {
  const port = await freePort();
  // --redirects/--tee 1: Debian's torch 1.13 launcher cannot parse their default "0" under Python 3.11 (enum.Flag change)
  return pythonModule('torch.distributed.run', [
    '--nnodes=1', `--nproc_per_node=${nproc}`, '--rdzv_backend=c10d', `--rdzv_endpoint=localhost:${port}`, `--rdzv_id=rnnlab-${port}`,
    '--redirects', '1', '--tee', '1', ...args,
  ], cwd, 120_000);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
