/**
 * The `demo:open` channel: the welcome screen's "Open the demo project". Calls are serialised, so
 * a double click cannot start two copies of the bundle at once.
 */
import type { Handlers } from '../../shared/ipc/handlers';
import type { OpenedProject } from '../../shared/dto';
import { openDemoProject, type OpenDemoOptions } from '../demo/open-demo-project';

export type DemoHandlers = Pick<Handlers, 'demo:open'>;

export function createDemoHandlers(options: OpenDemoOptions): DemoHandlers {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    'demo:open': () => {
      const next: Promise<OpenedProject> = queue.then(
        () => openDemoProject(options),
        () => openDemoProject(options),
      );
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
