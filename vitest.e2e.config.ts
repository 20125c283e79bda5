import { defineConfig } from 'vitest/config';

// Real-browser tests: the built renderer in Debian's Chromium, the real core behind the bridge.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
