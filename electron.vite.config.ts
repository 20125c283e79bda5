import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { devCsp } from './build/dev-csp';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The trainer, estimate and task workers are more entries: worker_threads loads
        // out/main/trainer-worker.js and out/main/task-worker.js (src/core/training/worker-launcher.ts
        // resolves them next to the bundled index.js).
        input: {
          index: resolve('src/main/index.ts'),
          'trainer-worker': resolve('src/core/trainer/worker.ts'),
          // the run-setup time estimate trains a few minibatches off the main thread (core/services/estimate-service.ts)
          'estimate-worker': resolve('src/core/trainer/estimate-worker.ts'),
          'task-worker': resolve('src/core/tasks/task-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require npm packages: bundle them (zod) into the one file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload must be one CommonJS file: it may require only `electron`.
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [vue(), devCsp()],
    build: {
      rollupOptions: { input: resolve('src/renderer/index.html') },
    },
  },
});
