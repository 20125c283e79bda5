/**
 * `npm run bench -- <name> [args]` runs bench/<name>.ts. Benchmarks print medians measured side by
 * side in one run; they are never part of `npm test`.
 */
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = import.meta.dirname;
const available = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.replace(/\.ts$/, ''));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <name> [args]\nAvailable: ${available.join(', ') || '(none)'}`);
  process.exit(name ? 2 : 0);
}
process.argv = [process.argv[0]!, join(dir, `${name}.ts`), ...args];
await import(pathToFileURL(join(dir, `${name}.ts`)).href);
