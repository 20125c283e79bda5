import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { DatasetsService } from '../../src/core/services/datasets-service';
import { RunsService } from '../../src/core/services/runs-service';
import { MAX_RANK_COUNTS } from '../../src/core/services/vocabulary-view';
import { Throttle } from '../../src/core/services/throttle';
import { createProject } from '../../src/core/store/project';
import { cleanText, countTokens, tokenize, unigramPerplexity, unkRate, Vocab, vocabSizeForMinFreq, type Cleaning, type TokenizerKind } from '../../src/engine/text';
import { vocabularyViewSchema } from '../../src/shared/datasets';
import { lettersWarning, openingPrefix } from '../../src/shared/text-defaults';
import { PROJECT, codeOf, memoryProject } from './helpers';

const TEXT = [
  'The Time Traveller (for so it will be convenient to speak of him) was expounding a recondite matter to us.',
  'His grey eyes shone and twinkled, and his usually pale face was flushed and animated.',
  'The fire burned brightly, and the soft radiance of the incandescent lights in the lilies of silver caught the bubbles.',
  'Uñicode ünïts and 😀 emoji, numbers 1895 and <unk> written literally.',
].join('\n');

async function diskProject(): Promise<{ fs: NodeFileSystem; dir: string; root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-ds-'));
  const fs = new NodeFileSystem();
  const dir = join(root, 'demo.rnnlab');
  await createProject(fs, dir, 'Demo');
  return { fs, dir, root };
}

/** Counts every read of a dataset source, to see that the vocabulary view reads it once. */
class CountingFs extends MemoryFileSystem {
  sourceReads = 0;
  override async openRead(path: string) {
    if (/\/datasets\/[^/]+\/source\./.test(path)) this.sourceReads++;
    return super.openRead(path);
  }
}

function engineView(text: string, tokenizer: TokenizerKind, cleaning: Cleaning, minFreq: number) {
  const counts = countTokens(tokenize(cleanText(text, cleaning), tokenizer));
  // the unigram baseline of the ids the corpus encodes to: tokens below minFreq are one <unk>
  const tokens = tokenize(cleanText(text, cleaning), tokenizer);
  const ids = Vocab.fromCounts(counts, { minFreq }).encode(tokens);
  return { counts, vocabSize: vocabSizeForMinFreq(counts, minFreq), unkRate: unkRate(counts, minFreq), unigram: unigramPerplexity(countTokens(Array.from(ids, String))) };
}

describe('datasets service', () => {
  it('imports a file on disk and reports growing progress at most ten times a second', async () => {
    const { fs, dir, root } = await diskProject();
    const source = join(root, 'big.txt');
    const line = 'the time machine by h g wells\n';
    await fs.openWrite(source, 'create').then(async (h) => {
      await h.write(new TextEncoder().encode(line.repeat(4000)));
      await h.close();
    });
    let clock = 0;
    const service = new DatasetsService({ fs, importChunkBytes: 4096, now: () => (clock += 30) });
    const events: Array<{ read: number; total: number; at: number }> = [];
    const record = await service.import(dir, { filePath: source, name: 'Big', onProgress: (read, total) => events.push({ read, total, at: clock }) });
    const total = line.length * 4000;
    expect(record).toMatchObject({ name: 'Big', kind: 'text', source: { bytes: total } });
    expect(events.length).toBeGreaterThan(3);
    // 30 chunks at 30 ms each: one event per ≥ 100 ms
    for (let i = 1; i < events.length; i++) expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(100);
    expect(events.every((e) => e.total === total)).toBe(true);
    expect(events.map((e) => e.read)).toEqual([...events.map((e) => e.read)].sort((a, b) => a - b));
    // the last chunks may fall inside the final 100 ms; the import's answer marks completion
    expect(events.at(-1)!.read).toBeGreaterThan(total * 0.8);
  });

  it('gives vocabulary numbers equal to the engine computing them from the whole text', async () => {
    const fs = await memoryProject();
    fs.seedFile('/in/tm.txt', TEXT);
    const service = new DatasetsService({ fs });
    const { id } = await service.import(PROJECT, { filePath: '/in/tm.txt' });
    for (const tokenizer of ['char', 'word'] as const) {
      for (const cleaning of ['none', 'letters'] as const) {
        for (const minFreq of [1, 2, 3, 7]) {
          const view = await service.vocabulary(PROJECT, id, tokenizer, cleaning, minFreq);
          const ref = engineView(TEXT, tokenizer, cleaning, minFreq);
          expect(vocabularyViewSchema.parse(view)).toEqual(view);
          expect(view).toMatchObject({ tokenizer, cleaning, minFreq, tokens: [...ref.counts.values()].reduce((a, b) => a + b, 0), distinct: ref.counts.size });
          expect(view.vocabSize).toBe(ref.vocabSize);
          expect(view.vocabSize).toBe(Vocab.fromCounts(ref.counts, { minFreq }).size);
          expect(view.unkRate).toBe(ref.unkRate);
          expect(view.unigramPerplexity).toBeCloseTo(ref.unigram, 10);
          expect(view.rankCounts).toEqual([...ref.counts.values()].sort((a, b) => b - a));
          expect(view.top[0]).toEqual([...ref.counts].sort((a, b) => b[1] - a[1])[0]);
        }
      }
    }
  });

  it('answers a new min_freq from the cached counts without reading the file again', async () => {
    const fs = new CountingFs();
    fs.seedDir('/home/u');
    await createProject(fs, PROJECT, 'Demo');
    fs.seedFile('/in/tm.txt', TEXT);
    const service = new DatasetsService({ fs });
    const { id } = await service.import(PROJECT, { filePath: '/in/tm.txt' });
    fs.sourceReads = 0;
    const [a, b] = await Promise.all([service.vocabulary(PROJECT, id, 'word', 'letters', 1), service.vocabulary(PROJECT, id, 'word', 'letters', 1)]);
    expect(b).toEqual(a);
    const c = await service.vocabulary(PROJECT, id, 'word', 'letters', 2);
    const d = await service.vocabulary(PROJECT, id, 'word', 'letters', 4);
    expect(fs.sourceReads).toBe(1);
    expect(a.unkRate).toBe(0);
    expect(c.vocabSize).toBeLessThan(a.vocabSize);
    expect(c.unkRate).toBeGreaterThan(0);
    expect(d.vocabSize).toBeLessThanOrEqual(c.vocabSize);
    expect(d.unkRate).toBeGreaterThanOrEqual(c.unkRate);
    await service.vocabulary(PROJECT, id, 'char', 'letters', 1);
    expect(fs.sourceReads).toBe(2);
  });

  it('caps the rank counts for the Zipf chart', async () => {
    const fs = await memoryProject();
    fs.seedFile('/in/many.txt', Array.from({ length: MAX_RANK_COUNTS + 50 }, (_, i) => `w${i}`).join(' '));
    const service = new DatasetsService({ fs });
    const { id } = await service.import(PROJECT, { filePath: '/in/many.txt' });
    const view = await service.vocabulary(PROJECT, id, 'word', 'none', 1);
    expect(view.distinct).toBe(MAX_RANK_COUNTS + 50);
    expect(view.rankCounts).toHaveLength(MAX_RANK_COUNTS);
  });

  it('previews the cleaned text up to maxChars and says whether it was cut', async () => {
    const fs = await memoryProject();
    fs.seedFile('/in/tm.txt', TEXT);
    const service = new DatasetsService({ fs });
    const { id } = await service.import(PROJECT, { filePath: '/in/tm.txt' });
    expect(await service.preview(PROJECT, id, 'letters', 20)).toMatchObject({ text: cleanText(TEXT, 'letters').slice(0, 20), truncated: true });
    expect(await service.preview(PROJECT, id, 'none', 100_000)).toMatchObject({ text: TEXT, truncated: false });
    const all = cleanText(TEXT, 'letters');
    expect(await service.preview(PROJECT, id, 'letters', all.length)).toMatchObject({ text: all, truncated: false });
  });

  it('says how much of the text letters cleaning keeps: nearly all of English prose, little of Chinese or code', async () => {
    const fs = await memoryProject();
    const service = new DatasetsService({ fs });
    const cases = [
      ['en.txt', TEXT, 0.9, 1],
      ['zh.txt', '时间旅行者（为了方便我们这样称呼他）正在向我们阐述一个深奥的问题。'.repeat(5) + ' hello', 0, 0.2],
      ['code.txt', 'for (let i = 0; i < 10; i++) { a[i] = (b[i] * 2) + 1; }\n'.repeat(20), 0.2, 0.8],
    ] as const;
    for (const [name, text, lo, hi] of cases) {
      fs.seedFile(`/in/${name}`, text);
      const record = await service.import(PROJECT, { filePath: `/in/${name}` });
      if (record.stats.kind !== 'text') throw new Error('kind');
      expect(record.stats.lettersKept).toBeGreaterThanOrEqual(lo);
      expect(record.stats.lettersKept).toBeLessThan(hi);
      expect((await service.preview(PROJECT, record.id, 'letters', 100_000)).lettersKept).toBeCloseTo(record.stats.lettersKept!, 12);
      expect(lettersWarning(record.stats.lettersKept) !== null).toBe(name !== 'en.txt');
    }
  });

  it('records the opening of the text under each cleaning, and suggests its first words as the sample prefix', async () => {
    const fs = await memoryProject();
    fs.seedFile('/in/tm.txt', TEXT);
    const record = await new DatasetsService({ fs }).import(PROJECT, { filePath: '/in/tm.txt' });
    if (record.stats.kind !== 'text') throw new Error('kind');
    expect(record.stats.opening).toEqual({ none: TEXT.slice(0, 200), letters: cleanText(TEXT, 'letters').slice(0, 200) });
    expect(openingPrefix(record.stats.opening!.letters, 'char')).toBe('the time traveller');
    expect(openingPrefix(record.stats.opening!.none, 'char')).toBe('The Time Traveller');
    expect(openingPrefix(record.stats.opening!.letters, 'word')).toBe('the time traveller');
    expect(openingPrefix('時間旅行者は私たちに難しい問題を説明していた', 'char')).toBe('時間旅行者は私たちに難しい問題を説明していた'.slice(0, 22));
  });

  it('refuses the vocabulary of a CSV table in plain words', async () => {
    const fs = await memoryProject();
    fs.seedFile('/in/t.csv', 'x,y\n1,2\n3,4\n');
    const service = new DatasetsService({ fs });
    const { id, kind } = await service.import(PROJECT, { filePath: '/in/t.csv' });
    expect(kind).toBe('csv');
    expect(await codeOf(service.vocabulary(PROJECT, id, 'char', 'none', 1))).toBe('UnsupportedDataset');
    expect(await codeOf(service.preview(PROJECT, id, 'none', 10))).toBe('UnsupportedDataset');
  });

  it('renames, and deletes a dataset unless an unfinished run trains on it', async () => {
    const fs = await memoryProject();
    fs.seedFile('/in/tm.txt', TEXT.repeat(20));
    const service = new DatasetsService({ fs });
    const { id } = await service.import(PROJECT, { filePath: '/in/tm.txt' });
    expect((await service.rename(PROJECT, id, '  Time machine ')).name).toBe('Time machine');
    expect((await service.get(PROJECT, id)).name).toBe('Time machine');
    const runs = new RunsService({ fs });
    const run = await runs.create(PROJECT, { datasetId: id, hiddenSize: 8, batchSize: 2, numSteps: 5 });
    expect(await codeOf(service.delete(PROJECT, id))).toBe('DatasetInUse');
    await runs.delete(PROJECT, run.id);
    expect(await service.delete(PROJECT, id)).toEqual({ deleted: true });
    expect(await codeOf(service.get(PROJECT, id))).toBe('NotFound');
    expect(await codeOf(service.delete(PROJECT, id))).toBe('NotFound');
  });
});

describe('Throttle', () => {
  it('sends at most one value per interval and flushes the newest one when the interval allows', () => {
    let t = 0;
    const sent: number[] = [];
    const throttle = new Throttle<number>((v) => sent.push(v), 100, () => t);
    for (let i = 0; i < 10; i++) {
      throttle.push(i);
      t += 40;
    }
    expect(sent).toEqual([0, 3, 6, 9]);
    throttle.push(10);
    throttle.flush();
    expect(sent).toEqual([0, 3, 6, 9]);
    t += 200;
    throttle.push(11);
    t += 10;
    throttle.push(12);
    t += 100;
    throttle.flush();
    expect(sent).toEqual([0, 3, 6, 9, 11, 12]);
  });
});
