/**
 * The path of a file dropped on the window. Only the preload can read it (webUtils, for a real
 * File), and main accepts in a request only paths the user chose, so the preload registers each
 * dropped path with main on a channel the page cannot call. Requests wait for the registrations
 * sent before them, so the import that follows a drop never overtakes its registration.
 */
export interface DropPaths {
  /** The dropped file's path ('' for a file that has none, which registers nothing). */
  pathFor(file: Blob): string;
  /** Wraps the bridge's invoke so each request is sent after the registrations before it. */
  ordered<A extends unknown[], R>(invoke: (...args: A) => Promise<R>): (...args: A) => Promise<R>;
}

export function createDropPaths(pathOf: (file: Blob) => string, register: (path: string) => Promise<unknown>): DropPaths {
  let registered: Promise<unknown> = Promise.resolve();
  return {
    pathFor(file) {
      const path = pathOf(file);
      // A failed registration only means main refuses the import, with its own coded error.
      if (path !== '') registered = Promise.all([registered, register(path).catch(() => undefined)]);
      return path;
    },
    ordered:
      (invoke) =>
      async (...args) => {
        await registered;
        return invoke(...args);
      },
  };
}
