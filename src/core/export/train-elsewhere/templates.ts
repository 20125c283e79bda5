/** README.md and train.slurm of a "Train elsewhere" folder. */

export interface TemplateFacts {
  runName: string;
  runId: string;
  epochs: number;
  sampler: 'sequential' | 'random';
  dropout: number;
}

export function readmeText(f: TemplateFacts): string {
  const dropout = f.dropout > 0
    ? `\nDropout is ${f.dropout}: PyTorch draws its own dropout masks, so the numbers agree with RNN Lab's statistically, not exactly.\n`
    : '';
  return `# ${f.runName} — train elsewhere

Exported by RNN Lab from run \`${f.runId}\`. Everything train.py needs is in this folder; it needs
Python 3 and PyTorch only.

## Run

    python train.py                       # cuda when available, else cpu; --device cpu to choose
    python train.py --epochs 2            # fewer or more epochs than the run's ${f.epochs}
    torchrun --standalone --nproc_per_node=N train.py   # N processes (gloo on CPU, nccl on GPUs)
    sbatch train.slurm                    # on a Slurm cluster (edit the resources first)

It writes \`output/\`: \`metrics.jsonl\` (RNN Lab's epoch, validation and training-window records),
\`checkpoints/epoch-NNNN.safetensors\` (PyTorch state_dict names) and copies of config.json and
vocab.json. Bring it back with

    rnn-lab import --project MY.rnnlab --from-pytorch-run output

or **Import PyTorch run…** in the app; the run appears with its curves, ready for Compare.

## What is the same as in RNN Lab

The minibatches (d2l's ${f.sampler} sampling, with RNN Lab's random generator, so the offsets and
shuffles are identical), the initial weights (\`initial.safetensors\`), the hidden state carried and
detached between sequential minibatches, clipping by global norm, the optimizer, the learning-rate
schedule and warm-up, validation every valEvery epochs. On one process the first epoch's loss
matches RNN Lab's to about 1e-4.
${dropout}
## Several processes

With \`torchrun\`, sequential sampling gives each process a contiguous slice of the training
stream (the effective batch is N × batchSize); random sampling splits every minibatch between the
processes (batchSize must be a multiple of N), which trains the same model as one process does.
Only process 0 validates and writes.

## Files

- \`config.json\` — the run config (\`run\`), the model (\`model\`, PyTorch constructor arguments) and
  the facts train.py needs (\`engine\`: token counts, the iterator's random state, clipping mode).
- \`vocab.json\` — the vocabulary, in index order.
- \`train.bin\`, \`val.bin\` — the token ids, little-endian int32.
- \`initial.safetensors\` — the weights before the first update.
`;
}

export function slurmText(f: TemplateFacts): string {
  const job = f.runName.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40) || 'rnnlab';
  return `#!/bin/bash
# Slurm job for "${f.runName}" (RNN Lab run ${f.runId}). Edit the resources, then: sbatch train.slurm
#SBATCH --job-name=${job}
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --gpus-per-node=1
#SBATCH --cpus-per-task=8
#SBATCH --time=04:00:00
#SBATCH --output=slurm-%j.out

set -euo pipefail
cd "\${SLURM_SUBMIT_DIR:-.}"
# module load pytorch   # or activate the environment that has torch
GPUS=\${SLURM_GPUS_ON_NODE:-1}
torchrun --standalone --nproc_per_node="$GPUS" train.py "$@"
`;
}
