/** Streams an imported text dataset as decoded text chunks (LF line ends), never holding it whole. */
import type { FileSystem } from '../fs/file-system';
import { SourceDecoder } from '../datasets/source-decoder';
import { datasetSourcePath } from '../store/datasets';
import type { DatasetRecord } from '../store/schemas';

export async function streamDatasetText(fs: FileSystem, projectDir: string, record: DatasetRecord, onText: (text: string) => void, chunkBytes = 1 << 20): Promise<void> {
  const handle = await fs.openRead(datasetSourcePath(projectDir, record));
  try {
    const decoder = new SourceDecoder(onText);
    const buffer = new Uint8Array(chunkBytes);
    for (let pos = 0; ; ) {
      const n = await handle.read(buffer, pos);
      if (n === 0) break;
      pos += n;
      decoder.push(buffer.subarray(0, n));
    }
    decoder.end();
  } finally {
    await handle.close();
  }
}
