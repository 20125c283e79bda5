// Starts a trainer worker from the TypeScript sources (tests, `npx rnn-lab`): register tsx's
// loader in this thread, then load the entry the host passed (see core/training/worker-launcher.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
