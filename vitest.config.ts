import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Unit, component and security tests. Renderer tests run in happy-dom; everything else in Node.
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
