import type { Plugin } from 'vite';

/**
 * The dev server injects inline styles and talks to its HMR socket; only in `electron-vite dev`
 * does the page's Content-Security-Policy admit those. Built files keep the strict policy.
 */
export function devCsp(): Plugin {
  return {
    name: 'rnnlab-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*");
    },
  };
}
