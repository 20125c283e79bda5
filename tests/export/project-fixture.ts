/** A project on disk with a run trained here for a few minibatches and checkpointed. */
import { loadRunData } from '../../src/core/services/run-data';
import { saveCheckpoint } from '../../src/core/store/checkpoints';
import { toCheckpointBundle, Trainer, trainerOptionsFromRunConfig } from '../../src/engine/train';
import type { RunConfig } from '../../src/shared/run-config';
import { corpus, diskTrainingProject, type TrainingProject } from '../core/training-fixtures';

export async function trainedProject(config: Partial<RunConfig> = {}, steps = 30): Promise<TrainingProject & { runId: string }> {
  const project = await diskTrainingProject(corpus(4000, 5));
  const runId = await project.createRun({ hiddenSize: 16, ...config });
  const data = await loadRunData(project.fs, project.dir, runId);
  const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
  for (let i = 0; i < steps; i++) trainer.trainStep();
  await saveCheckpoint(project.fs, project.dir, runId, toCheckpointBundle(trainer.exportState(), { valPerplexity: 5 }));
  return { ...project, runId };
}
