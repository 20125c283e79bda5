/**
 * The "Train elsewhere" folder: what RNN Lab writes for train.py and what it reads back.
 *
 * ```
 * train.py  README.md  train.slurm
 * config.json           { format: 'rnnlab.pytorch-run', version: 1, run: <run config>,
 *                         model: <the PyTorch export's config>, engine: <facts train.py needs> }
 * vocab.json            the run's vocab.json (tokens, tokenizer, cleaning, corpus counts, baselines)
 * train.bin  val.bin    the token ids our trainer reads, little-endian int32
 * initial.safetensors   the weights our trainer starts from for the run's seed (PyTorch names)
 * output/               written by train.py: metrics.jsonl, checkpoints/epoch-NNNN.safetensors,
 *                       copies of config.json and vocab.json (what `import --from-pytorch-run` reads)
 * ```
 */
import { z } from 'zod';

export const PYTORCH_RUN_FORMAT = 'rnnlab.pytorch-run';
export const TRAIN_FILE = 'train.bin';
export const VAL_FILE = 'val.bin';
export const INITIAL_WEIGHTS = 'initial.safetensors';
export const METRICS_JSONL = 'metrics.jsonl';
export const OUTPUT_DIR = 'output';
export const CHECKPOINT_NAME = /^epoch-(\d{4,})\.safetensors$/;

const u32 = z.number().int().min(0).max(0xffffffff);

export const engineFactsSchema = z.object({
  vocabSize: z.number().int().positive(),
  trainFile: z.literal(TRAIN_FILE),
  valFile: z.literal(VAL_FILE),
  trainTokens: z.number().int().nonnegative(),
  valTokens: z.number().int().nonnegative(),
  initialWeights: z.literal(INITIAL_WEIGHTS),
  /** State of the iterator's Rng just before the first epoch's offset and shuffle are drawn. */
  iteratorRngState: z.tuple([u32, u32, u32, u32]),
  clipMode: z.enum(['d2l', 'pytorch']),
  /** sha256 (hex) of the vocabulary's tokens as JSON: the vocab.json that belongs to these ids. */
  vocabSha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.object({ runId: z.string(), runName: z.string() }),
});
export type EngineFacts = z.infer<typeof engineFactsSchema>;

export const pytorchRunConfigSchema = z.object({
  format: z.literal(PYTORCH_RUN_FORMAT),
  version: z.literal(1),
  run: z.record(z.string(), z.unknown()),
  model: z.record(z.string(), z.unknown()),
  engine: engineFactsSchema,
});

/** Zero-padded checkpoint name for a 1-based epoch, as train.py writes it. */
export const checkpointFileName = (epoch: number): string => `epoch-${String(epoch).padStart(4, '0')}.safetensors`;
