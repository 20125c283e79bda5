/**
 * Coalesces chart redraws into animation frames: however many metric events arrive between two
 * frames, each chart redraws once, in a frame, never inside an IPC callback. Work is spread over
 * frames: once a frame has spent its budget, the remaining charts wait for the next one, so five
 * charts redrawing together cost five short frames instead of one long one.
 */
const FRAME_BUDGET_MS = 12;
const queued = new Map<object, () => void>();
let handle: number | null = null;

export function scheduleFrame(key: object, work: () => void): void {
  queued.set(key, work);
  request();
}

export function cancelFrame(key: object): void {
  queued.delete(key);
}

function request(): void {
  if (handle === null && queued.size > 0) handle = requestAnimationFrame(run);
}

function run(): void {
  handle = null;
  const start = performance.now();
  for (const [key, job] of queued) {
    queued.delete(key);
    job();
    if (performance.now() - start > FRAME_BUDGET_MS) break;
  }
  request();
}
