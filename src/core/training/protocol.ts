/**
 * The messages between the training host and one trainer (a worker thread, or the same executor
 * run in-process by the command line and the crash tests). Everything is plain structured-clone
 * data; numbers that may be non-finite (a diverged loss) travel as numbers, which clone exactly.
 */
import type { KernelChoice } from '../../engine/kernels/wasm';
import type { MetricRecord, NonFiniteReportDto, RunProgress, SampleRecord } from '../../shared/runs';

/** What the host asks a trainer to do with one run. */
export interface TrainJob {
  projectDir: string;
  runId: string;
  /** Continue from the newest readable checkpoint (from step 0 when there is none). */
  resume: boolean;
  /** Load, report `ready`, then wait for `resume` or `step` instead of training. */
  startPaused: boolean;
  /** Which kernels train it ('auto': WebAssembly SIMD when available) and how many threads share each call. */
  kernels?: KernelChoice;
  threads?: number;
}

export type HostMessage =
  /** Finish the current minibatch, checkpoint, and wait. */
  | { type: 'pause' }
  | { type: 'resume' }
  /** While paused: train exactly one minibatch, then wait again. */
  | { type: 'step' }
  /** Checkpoint and end the run as finished by the user. */
  | { type: 'stop' }
  /** Checkpoint and end; the run resumes from there later (app quit, or a resume with new settings). */
  | { type: 'release' };

export type FinishOutcome = 'done' | 'stopped' | 'released' | 'diverged';

export type WorkerMessage =
  | { type: 'ready'; progress: RunProgress; paused: boolean; kernels: string }
  /** Batched records since the last message, and where the run stands. */
  | { type: 'progress'; progress: RunProgress; metrics: MetricRecord[]; samples: SampleRecord[] }
  | { type: 'checkpoint'; name: string; step: number; valPerplexity: number | null }
  /** Acknowledges `pause` and `step`: the trainer is idle between two minibatches. */
  | { type: 'paused'; progress: RunProgress }
  | { type: 'finished'; outcome: FinishOutcome; progress: RunProgress; message: string; divergence: NonFiniteReportDto | null }
  /** `code`: the error's code, when it had one (`DiskFull` leaves the run interrupted, not failed). */
  | { type: 'failed'; message: string; stack: string | null; code?: string };

/** The host's end of a trainer, whatever carries it. */
export interface TrainerChannel {
  send(message: HostMessage): void;
  /** Called for every message, in order. */
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** Called once when the trainer is gone; `error` is set when it died rather than ended. */
  onExit(listener: (error: Error | null) => void): void;
  /** Kills the trainer at once (no checkpoint). */
  terminate(): Promise<void>;
}

/** Starts a trainer for a job. */
export type TrainerLauncher = (job: TrainJob) => TrainerChannel;
