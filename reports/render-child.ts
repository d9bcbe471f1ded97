/**
 * Entry of a render process (reports/render-pool.ts forks one per thread): runs each task it is
 * sent (reports/render-worker.ts) and answers with the paths written or the error. A process, not
 * a worker thread: node-canvas cannot be unloaded from a worker thread, and the whole program
 * crashes (segmentation fault) when such a thread ends; a process simply exits when the pool
 * disconnects.
 */
import renderTask, { type RenderTask } from './render-worker.js';

/** What the pool sends: a task and the number that ties the answer to it. */
export interface RenderRequest {
  id: number;
  task: RenderTask;
}

/**
 * What a render process answers: the paths written, or the error with the file-system fields
 * (code, path, syscall) that tell the caller a full disk from a bug.
 */
export type RenderReply =
  | { id: number; paths: string[] }
  | { id: number; error: { message: string; code?: string; path?: string; syscall?: string } };

// Ctrl-C reaches every process of the terminal's group: the parent decides (it stops the report and
// disconnects, which ends this process), so a render process never dies half-way through a file.
process.on('SIGINT', () => {});

/** Answers the pool; not when it has gone (stopped mid-task): the answer has nobody to read it. */
function reply(r: RenderReply): void {
  if (process.connected) process.send?.(r, undefined, {}, () => {});
}

process.on('message', (m: RenderRequest) => {
  renderTask(m.task).then(
    (paths) => reply({ id: m.id, paths }),
    (e: unknown) => {
      const { code, path, syscall } = (e ?? {}) as NodeJS.ErrnoException;
      const error = {
        message: e instanceof Error ? e.message : String(e),
        ...(code !== undefined ? { code } : {}),
        ...(path !== undefined ? { path } : {}),
        ...(syscall !== undefined ? { syscall } : {}),
      };
      reply({ id: m.id, error });
    },
  );
});
