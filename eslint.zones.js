// Which folder may import what (DESIGN.md, "Layout"). Shared by eslint.config.js and the test
// that proves a forbidden import fails lint.
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'util', 'stream', 'events', 'net', 'http', 'https', 'zlib'];
const electron = ['electron', 'electron/*'];
const layer = (name) => [`**/${name}`, `**/${name}/**`, `@/${name}/**`];

export const importZones = [
  {
    // The renderer reaches the app only through the bridge.
    files: ['src/renderer/**/*.{ts,vue}'],
    patterns: [
      { group: [...layer('engine'), ...layer('core'), ...layer('main'), ...layer('preload'), ...layer('cli')], message: 'The renderer talks to the app only through the bridge (src/renderer/bridge.ts).' },
      { group: [...nodeBuiltins, ...electron], message: 'The renderer runs sandboxed: no Node or Electron modules.' },
    ],
  },
  {
    // The engine is pure: it imports only shared/.
    files: ['src/engine/**/*.ts'],
    patterns: [
      { group: [...layer('core'), ...layer('main'), ...layer('preload'), ...layer('renderer'), ...layer('cli')], message: 'The engine imports only src/shared.' },
      { group: [...nodeBuiltins, ...electron], message: 'The engine is pure TypeScript: no Node or Electron modules.' },
    ],
  },
  {
    files: ['src/shared/**/*.ts'],
    patterns: [
      { group: [...layer('engine'), ...layer('core'), ...layer('main'), ...layer('preload'), ...layer('renderer'), ...layer('cli')], message: 'src/shared imports nothing outside shared/.' },
      { group: [...nodeBuiltins, ...electron], message: 'src/shared runs in every process: no Node or Electron modules.' },
    ],
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    patterns: [
      { group: [...layer('main'), ...layer('preload'), ...layer('renderer')], message: 'core and cli sit below the Electron layers.' },
      { group: electron, message: 'Only src/main and src/preload import electron.' },
    ],
  },
  {
    files: ['src/preload/**/*.ts'],
    patterns: [
      { group: [...layer('engine'), ...layer('core'), ...layer('main'), ...layer('renderer'), ...layer('cli')], message: 'The preload only builds the bridge from the contract in src/shared.' },
    ],
  },
  {
    files: ['src/main/**/*.ts'],
    patterns: [{ group: [...layer('renderer'), ...layer('preload'), ...layer('cli')], message: 'main calls core/, not the other processes.' }],
  },
];
