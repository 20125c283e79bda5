/**
 * Write handlers refuse while the project is open read-only (another RNN Lab process writes to
 * it): each is wrapped to ask the project writer first, and fails with `ReadOnlyProject`, naming
 * the holder, before anything is touched.
 */
import type { Handlers } from '../../shared/ipc/handlers';

export const WRITE_CHANNELS = [
  'runs:create', 'runs:start', 'runs:resume', 'runs:step', 'runs:stop', 'runs:rename', 'runs:delete',
  'datasets:import', 'datasets:rename', 'datasets:delete', 'import:weights', 'forecast:create',
  'import:pytorchRun',
  'sweeps:create', 'sweeps:stop', 'sweeps:resume',
] as const satisfies readonly (keyof Handlers)[];

export interface WriteCheck {
  assertWritable(projectDir: string): Promise<void>;
}

export function guardWrites<H extends Partial<Handlers>>(handlers: H, writer: WriteCheck): H {
  const guarded: Partial<Handlers> = { ...handlers };
  for (const channel of WRITE_CHANNELS) {
    const handler = handlers[channel] as ((request: { projectDir: string }) => Promise<unknown>) | undefined;
    if (!handler) continue;
    (guarded as Record<string, unknown>)[channel] = async (request: { projectDir: string }) => {
      await writer.assertWritable(request.projectDir);
      return handler(request);
    };
  }
  return guarded as H;
}
