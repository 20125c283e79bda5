import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Checks on what `electron-vite build` produced, which unit tests (run before any build) cannot see.
const out = (p: string) => readFileSync(new URL(`../../out/${p}`, import.meta.url), 'utf8');

describe('built app', () => {
  it('bundles the sandboxed preload into one CommonJS file that requires only electron', () => {
    const preload = out('preload/index.cjs');
    const required = [...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*import\s/m);
  });

  it('keeps the strict Content-Security-Policy in the built page', () => {
    const html = out('renderer/index.html');
    expect(html).toContain("script-src 'self'");
    expect(html).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
