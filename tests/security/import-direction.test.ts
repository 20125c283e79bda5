import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints source text as if it lived at a given path, with the project's real config.
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import-direction lint rules', () => {
  it('fails a renderer file that imports from src/engine', async () => {
    const errors = await restrictedImports('src/renderer/views/Bad.ts', "import { Rng } from '../../engine/rng';\nexport const r = new Rng(1);\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/bridge/);
  });

  it('fails a renderer file that imports core, Node or Electron', async () => {
    expect(await restrictedImports('src/renderer/x.ts', "import { createAppHandlers } from '../core/app-handlers';\nexport { createAppHandlers };\n")).toHaveLength(1);
    expect(await restrictedImports('src/renderer/x.ts', "import { readFileSync } from 'node:fs';\nexport { readFileSync };\n")).toHaveLength(1);
    expect(await restrictedImports('src/renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport { ipcRenderer };\n")).toHaveLength(1);
  });

  it('keeps the engine pure: no core, no Node, no Electron', async () => {
    expect(await restrictedImports('src/engine/x.ts', "import { x } from '../core/store';\nexport { x };\n")).toHaveLength(1);
    expect(await restrictedImports('src/engine/x.ts', "import { Worker } from 'node:worker_threads';\nexport { Worker };\n")).toHaveLength(1);
    expect(await restrictedImports('src/engine/x.ts', "import { z } from '../shared/errors';\nexport { z };\n")).toHaveLength(0);
  });

  it('lets only main and preload import electron', async () => {
    expect(await restrictedImports('src/core/x.ts', "import { app } from 'electron';\nexport { app };\n")).toHaveLength(1);
    expect(await restrictedImports('src/cli/x.ts', "import { app } from 'electron';\nexport { app };\n")).toHaveLength(1);
    expect(await restrictedImports('src/shared/x.ts', "import { app } from 'electron';\nexport { app };\n")).toHaveLength(1);
    expect(await restrictedImports('src/main/x.ts', "import { app } from 'electron';\nexport { app };\n")).toHaveLength(0);
    expect(await restrictedImports('src/preload/x.ts', "import { ipcRenderer } from 'electron';\nexport { ipcRenderer };\n")).toHaveLength(0);
  });

  it('accepts the renderer importing shared contract types', async () => {
    expect(await restrictedImports('src/renderer/x.ts', "import type { AppInfo } from '../shared/dto';\nexport type { AppInfo };\n")).toHaveLength(0);
  });
});
