// Entry of the worker child process that `quorum all` starts (run-worker-process.ts): the worker role,
// told when it is up, and shut down gracefully when the parent asks or goes away.
import { runCli } from './main.js';

if (process.send) {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.kill(process.pid, 'SIGTERM');
  };
  process.on('message', (message: unknown) => {
    if (message === 'shutdown') stop();
  });
  // The parent died or closed the channel: nobody supervises this worker any more.
  process.on('disconnect', stop);
}
runCli(['worker']);
