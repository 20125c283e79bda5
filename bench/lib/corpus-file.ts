/**
 * A large synthetic text file for memory benchmarks: a Zipf-ish vocabulary of 5,000 words over a
 * small alphabet with some multi-byte characters (é, 😀) and CRLF line ends, from a fixed seed, so
 * every run writes the same bytes. Written in pieces; never held whole.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export async function writeCorpusFile(path: string, bytes: number): Promise<number> {
  const words = Array.from({ length: 5000 }, (_, i) => i.toString(36) + (i % 97 === 0 ? 'é' : '') + (i % 389 === 0 ? '😀' : ''));
  let seed = 12345;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = createWriteStream(path);
  let written = 0;
  while (written < bytes) {
    const parts: string[] = [];
    for (let i = 0; i < 20000; i++) {
      parts.push(words[Math.floor(5000 * rand() ** 3)]!);
      parts.push(i % 12 === 11 ? '\r\n' : ' ');
    }
    const chunk = Buffer.from(parts.join(''));
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}
