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

/** What a render process answers. */
export type RenderReply = { id: number; paths: string[] } | { id: number; error: string };

process.on('message', (m: RenderRequest) => {
  renderTask(m.task).then(
    (paths) => process.send?.({ id: m.id, paths } satisfies RenderReply),
    (e: unknown) =>
      process.send?.({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies RenderReply),
  );
});
