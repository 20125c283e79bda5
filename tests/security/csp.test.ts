import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Parses the Content-Security-Policy of an HTML page's meta tag into directive → sources. */
function parseCsp(html: string): Map<string, string[]> {
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  if (!match) throw new Error('no CSP meta tag');
  const directives = new Map<string, string[]>();
  for (const part of match[1]!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

const html = readFileSync(new URL('../../src/renderer/index.html', import.meta.url), 'utf8');
const csp = parseCsp(html);

describe('renderer Content-Security-Policy', () => {
  it('starts from default-src none', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
  });

  it('allows scripts only from the app itself: no inline, no eval, no remote hosts', () => {
    const scripts = csp.get('script-src');
    expect(scripts).toEqual(["'self'"]);
    for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", '*', 'http:', 'https:', 'data:', 'blob:']) {
      expect(scripts).not.toContain(forbidden);
    }
    expect(csp.has('script-src-elem')).toBe(false);
    expect(csp.has('script-src-attr')).toBe(false);
  });

  it('allows no stylesheets from elsewhere, no plugins, frames, base rewriting or form posts', () => {
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('connects to nothing but itself, so nothing leaves the machine', () => {
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('has no remote source in any directive', () => {
    for (const [name, sources] of csp) {
      for (const s of sources) expect(s, `${name} ${s}`).not.toMatch(/^(https?:|\*|ws)/);
    }
  });
});
