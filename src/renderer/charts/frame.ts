/**
 * Coalesces chart redraws into animation frames: however many metric events arrive between two
 * frames, each chart redraws once, in the frame, and never inside an IPC callback.
 */
const queued = new Map<object, () => void>();
let handle: number | null = null;

export function scheduleFrame(key: object, work: () => void): void {
  queued.set(key, work);
  if (handle !== null) return;
  handle = requestAnimationFrame(() => {
    handle = null;
    const jobs = [...queued.values()];
    queued.clear();
    for (const job of jobs) job();
  });
}

export function cancelFrame(key: object): void {
  queued.delete(key);
}
