/**
 * Streamed inspector jobs as the main thread sees them: a task that sends a head event (the
 * answer to the request), data events (pushed to the renderer) and settles with how it ended,
 * which becomes the job's one `inspect:done` event. Job ids are the renderer's, so it can listen
 * before it asks; an id already running is refused.
 */
import { AppError } from '../../shared/errors';
import type { InspectDone } from '../../shared/inspect';
import type { TaskJob } from '../tasks/task-protocol';
import { InspectError } from './inspect-error';
import type { JobEvent, JobOutcome } from './inspect-service';

export class InspectJobs {
  private readonly running = new Map<string, TaskJob<JobOutcome>>();

  constructor(private readonly done: (event: InspectDone) => void) {}

  /** True when `jobId` was running (it then ends with status `cancelled`). */
  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    job?.cancel();
    return job !== undefined;
  }

  get size(): number {
    return this.running.size;
  }

  /** Starts the job through `open`; resolves with its head once it arrives, forwarding data to `forward`. */
  begin<H, D>(jobId: string, open: (onEvent: (event: JobEvent<H, D>) => void) => TaskJob<JobOutcome>, forward: (data: D) => void): Promise<H> {
    if (this.running.has(jobId)) throw new InspectError('JobRunning', `A job named "${jobId}" is still running; cancel it or use another id.`, { field: 'jobId' });
    return new Promise<H>((resolve, reject) => {
      let headed = false;
      let failure: unknown = null;
      const job = open((event) => {
        if (event.kind === 'head') {
          headed = true;
          resolve(event.value);
        } else if (headed && failure === null) {
          try {
            forward(event.value);
          } catch (e) {
            // an event the contract refuses: stop the job rather than send a stream with a hole
            failure = e;
            job.cancel();
          }
        }
      });
      this.running.set(jobId, job);
      const end = (status: InspectDone['status'], processed: number, error: unknown) => {
        this.running.delete(jobId);
        if (!headed) {
          reject(error ?? new InspectError('Cancelled', 'The job was cancelled before it started.'));
          return;
        }
        this.done({ jobId, status, processed, error: error === null ? null : wire(error) });
      };
      job.result.then(
        (outcome) => (failure === null ? end(outcome.status, outcome.processed, null) : end('failed', outcome.processed, failure)),
        (e: unknown) => end('failed', 0, e),
      );
    });
  }
}

function wire(e: unknown): { code: string; message: string } {
  if (e instanceof AppError) return { code: e.code, message: e.message };
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' && /^[A-Z][A-Za-z]+$/.test(code) ? { code, message } : { code: 'Internal', message: `Something went wrong inside RNN Lab: ${message}` };
}
