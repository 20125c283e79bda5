/**
 * Runs the executor on this thread instead of a worker: the command line trains this way (no
 * second copy of the runtime to start), and tests use it to train over a `MemoryFileSystem` with
 * crashes injected. Text and forecast runs alike (the run's task picks the executor). Messages are cloned and delivered asynchronously in order, as a worker's would be.
 */
import type { FileSystem } from '../fs/file-system';
import type { HostMessage, TrainerChannel, TrainerLauncher, TrainJob, WorkerMessage } from './protocol';
import { TaskExecutor, type TaskExecutorOptions } from './task-executor';

export function inProcessLauncher(fs: FileSystem, options: TaskExecutorOptions = {}): TrainerLauncher {
  return (job: TrainJob): TrainerChannel => {
    const messageListeners: ((m: WorkerMessage) => void)[] = [];
    const exitListeners: ((e: Error | null) => void)[] = [];
    let gone = false;
    const exit = (error: Error | null) => {
      if (gone) return;
      gone = true;
      for (const l of exitListeners) l(error);
    };
    const executor = new TaskExecutor(
      fs,
      job,
      (message) => {
        const copy = structuredClone(message);
        queueMicrotask(() => {
          if (!gone) for (const l of messageListeners) l(copy);
        });
      },
      options,
    );
    setImmediate(() => {
      void executor.run().then(() => setImmediate(() => exit(null)));
    });
    return {
      send: (message: HostMessage) => {
        const copy = structuredClone(message);
        setImmediate(() => executor.command(copy));
      },
      onMessage: (l) => messageListeners.push(l),
      onExit: (l) => exitListeners.push(l),
      terminate: async () => {
        // the loop cannot be interrupted mid-minibatch on this thread: cut it off from the host
        executor.abort();
        exit(new Error('The trainer was terminated.'));
      },
    };
  };
}
