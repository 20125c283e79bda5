import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileDurable } from '../../src/core/fs/atomic-write';
import type { FileSystem, WriteHandle, WriteMode } from '../../src/core/fs/file-system';
import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { fsErrorFrom, NodeFileSystem } from '../../src/core/fs/node-file-system';
import { readMetrics } from '../../src/core/services/run-files';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { METRICS_LOG, checkpointsDir, runFile } from '../../src/core/store/layout';
import { LogWriter, readLog } from '../../src/core/store/record-log';
import { readRun } from '../../src/core/store/runs';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { memoryTrainingProject } from './training-fixtures';

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

describe('disk full: errno mapping', () => {
  it('maps ENOSPC and EDQUOT to DiskFull with a sentence naming the size and the file', () => {
    for (const errno of ['ENOSPC', 'EDQUOT']) {
      const e = fsErrorFrom('/home/u/p.rnnlab/runs/r/checkpoints/step-000000000001.safetensors', Object.assign(new Error('x'), { code: errno }), 3 * 1024 * 1024);
      expect(e.code).toBe('DiskFull');
      expect(e.message).toMatch(/disk is full/);
      expect(e.message).toContain('3.0 MB');
      expect(e.message).toContain('step-000000000001.safetensors');
      expect(e.details).toMatchObject({ bytes: 3 * 1024 * 1024 });
    }
    expect(fsErrorFrom('/x', Object.assign(new Error('x'), { code: 'ENOSPC' })).message).toMatch(/^The disk is full/);
    expect(fsErrorFrom('/x', Object.assign(new Error('x'), { code: 'EACCES' })).code).toBe('Io');
  });

  it.runIf(existsSync('/dev/full'))('a write the real disk refuses with ENOSPC (/dev/full) is a DiskFull error', async () => {
    const handle = await new NodeFileSystem().openWrite('/dev/full', 'append');
    try {
      await expect(handle.write(bytes(4096))).rejects.toMatchObject({ code: 'DiskFull', details: { path: '/dev/full', bytes: 4096 } });
    } finally {
      await handle.close();
    }
  });
});

describe('disk full: writes leave no temp files and nothing half-written', () => {
  function smallDisk() {
    const fs = new MemoryFileSystem();
    fs.seedFile('/p/old.bin', bytes(50, 1));
    fs.setFaults({ diskFullAt: fs.usedBytes() + 80 });
    return fs;
  }

  it('the memory file system lands what fits and then fails like ENOSPC', async () => {
    const fs = smallDisk();
    const h = await fs.openWrite('/p/new.bin', 'create');
    await expect(h.write(bytes(100))).rejects.toMatchObject({ code: 'DiskFull', details: { bytes: 100 } });
    expect((await fs.stat('/p/new.bin'))?.size).toBe(80);
    await fs.unlink('/p/new.bin'); // freeing space makes room again
    await (await fs.openWrite('/p/again.bin', 'create')).write(bytes(80));
  });

  it('writeFileAtomic removes its temp file, keeps the old file and names the target', async () => {
    const fs = smallDisk();
    const err = await writeFileAtomic(fs, '/p/old.bin', bytes(200, 2)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DiskFull', details: { path: '/p/old.bin', bytes: 200 } });
    expect((err as Error).message).toContain('old.bin');
    expect(await fs.readdir('/p')).toEqual(['old.bin']);
    expect(await fs.readFile('/p/old.bin')).toEqual(bytes(50, 1));
  });

  it('writeFileDurable removes the file it created', async () => {
    const fs = smallDisk();
    await expect(writeFileDurable(fs, '/p/new.json', bytes(200))).rejects.toMatchObject({ code: 'DiskFull' });
    expect(await fs.readdir('/p')).toEqual(['old.bin']);
  });

  it('a log append that does not fit is cut off again, so the log has no torn tail and takes the next append', async () => {
    const fs = new MemoryFileSystem();
    fs.seedDir('/p');
    const log = await LogWriter.open(fs, '/p/metrics.log');
    await log.append([{ step: 1 }]);
    const before = (await fs.stat('/p/metrics.log'))!.size;
    fs.setFaults({ diskFullAt: fs.usedBytes() + 20 });
    await expect(log.append([{ step: 2, text: 'x'.repeat(100) }])).rejects.toMatchObject({ code: 'DiskFull' });
    expect((await fs.stat('/p/metrics.log'))!.size).toBe(before);
    fs.setFaults({});
    await log.append([{ step: 3 }]);
    const read = await readLog(fs, '/p/metrics.log');
    expect(read).toMatchObject({ records: [{ step: 1 }, { step: 3 }], problems: [], tornBytes: 0 });
  });
});

/** Delegates to `mem`; `arm(path, data)` runs before each write and may fill the disk. */
function watchWrites(mem: MemoryFileSystem, arm: (path: string, data: Uint8Array) => void): FileSystem {
  const fs = Object.create(mem) as FileSystem;
  fs.openWrite = async (path: string, mode: WriteMode): Promise<WriteHandle> => {
    const h = await mem.openWrite(path, mode);
    return { ...h, write: async (data) => (arm(path, data), h.write(data)) };
  };
  return fs;
}

const tempFiles = (names: string[]) => names.filter((n) => n.includes('.tmp-'));

describe('disk full during training', () => {
  it('a checkpoint that does not fit ends the run interrupted with a disk-full message; its temp file is gone and the last good checkpoint stays', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 3 });
    let checkpointWrites = 0;
    let checkpointBytes = 0;
    const fs = watchWrites(p.fs, (path, data) => {
      if (!path.includes('/checkpoints/')) return;
      checkpointBytes = data.length;
      // the second checkpoint finds 2 KB free: less than it needs, enough for run.json after
      if (++checkpointWrites === 2) p.fs.setFaults({ diskFullAt: p.fs.usedBytes() + 2048 });
    });
    const errors: unknown[] = [];
    const host = new TrainingHost({ fs, launcher: inProcessLauncher(fs), onError: (e) => errors.push(e) });
    await host.start(p.dir, id);
    const run = await host.wait(p.dir, id);
    expect(checkpointBytes).toBeGreaterThan(2048 * 2);
    expect(errors).toEqual([]);
    expect(run.state).toBe('interrupted');
    expect(run.message).toMatch(/^Training stopped: The disk is full .*could not be written to step-0+\d+\.safetensors\..*last good checkpoint/);
    expect(tempFiles(await p.fs.readdir(checkpointsDir(p.dir, id)))).toEqual([]);
    const { checkpoints, problems } = await listCheckpoints(p.fs, p.dir, id);
    expect(problems).toEqual([]);
    expect(checkpoints.map((c) => c.step)).toEqual([67]);

    // space freed: the run resumes from that checkpoint and finishes
    p.fs.setFaults({});
    await host.resume(p.dir, id);
    expect((await host.wait(p.dir, id)).state).toBe('done');
    expect((await readMetrics(p.fs, p.dir, id)).filter((m) => m.kind === 'epoch').map((m) => m.epoch)).toEqual([1, 2, 3]);
  });

  it('a metrics.log append that does not fit ends the run interrupted, and the log keeps no partial record', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 3 });
    let appends = 0;
    let failed = false;
    const fs = watchWrites(p.fs, (path, data) => {
      if (!path.endsWith(METRICS_LOG) || data.length < 9 || ++appends !== 2) return;
      p.fs.setFaults({ diskFullAt: p.fs.usedBytes() + data.length - 1 });
      failed = true;
    });
    const host = new TrainingHost({ fs, launcher: inProcessLauncher(fs), onError: () => undefined });
    await host.start(p.dir, id);
    const run = await host.wait(p.dir, id);
    expect(failed).toBe(true);
    expect(run.state).toBe('interrupted');
    expect(run.message).toMatch(/disk is full.*metrics\.log/);
    const read = await readLog(p.fs, runFile(p.dir, id, METRICS_LOG));
    expect(read.tornBytes).toBe(0);
    expect(read.problems).toEqual([]);
    expect((await readRun(p.fs, p.dir, id)).state).toBe('interrupted');
  });
});
