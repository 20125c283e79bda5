import { ARGS, CONTROL_WORDS, DONE, OP, OP_STOP, SEQ, STATUS } from '../../engine/kernels/wasm/protocol';

/**
 * The helper thread's program, as CommonJS source for `new Worker(source, { eval: true })`: it runs
 * unchanged under tsx, vitest, the CLI and an electron-vite bundle, none of which need to resolve a
 * worker file. It instantiates the kernels' module on the shared memory, then loops: wait for a
 * job number in its control block (spin, then Atomics.wait), run the named export with the block's
 * arguments, publish the job number as done. The protocol is src/engine/kernels/wasm/protocol.ts.
 */
export const HELPER_SOURCE = `
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, control, ops, spin } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = ops.map((name) => instance.exports[name]);
const ctl = new Int32Array(memory.buffer, control, ${CONTROL_WORDS});
let last = Atomics.load(ctl, ${SEQ});
parentPort.postMessage('ready');
for (;;) {
  let s = Atomics.load(ctl, ${SEQ});
  let left = spin;
  while (s === last) {
    if (left-- > 0) { s = Atomics.load(ctl, ${SEQ}); continue; }
    Atomics.wait(ctl, ${SEQ}, last, 50);
    s = Atomics.load(ctl, ${SEQ});
  }
  last = s;
  const op = ctl[${OP}];
  if (op !== ${OP_STOP}) {
    const a = ${ARGS};
    try {
      fns[op](ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], ctl[a + 5], ctl[a + 6], ctl[a + 7], ctl[a + 8], ctl[a + 9], ctl[a + 10], ctl[a + 11]);
    } catch (e) {
      ctl[${STATUS}] = 1;
    }
  }
  Atomics.store(ctl, ${DONE}, s);
  Atomics.notify(ctl, ${DONE});
  if (op === ${OP_STOP}) break;
}
`;

/**
 * The thread that starts the helpers and watches them. A helper's `exit` event reaches only the
 * thread that created it, and the caller of a kernel call is blocked in `Atomics.wait` while it
 * waits for its helpers; so the helpers are this thread's children, and when one exits it writes
 * the exit code + 1 into the helper's health word and wakes the caller, who then fails the call
 * (protocol.ts). Messages to the parent: `ready` once every helper is in its loop, `failed` when
 * one exits before, `exited` for each exit. From the parent: `kill` (tests inject a dead helper).
 */
export const SUPERVISOR_SOURCE = `
'use strict';
const { Worker, workerData, parentPort } = require('node:worker_threads');
const { helperSource, inits } = workerData;
let ready = 0;
let alive = inits.length;
const helpers = inits.map((init, i) => {
  const health = new Int32Array(init.memory.buffer, init.health, 1);
  const ctl = new Int32Array(init.memory.buffer, init.control, ${CONTROL_WORDS});
  Atomics.store(health, 0, 0);
  const worker = new Worker(helperSource, { eval: true, workerData: init });
  let error = null;
  worker.once('message', () => {
    if (++ready === inits.length) parentPort.postMessage({ type: 'ready' });
  });
  worker.on('error', (e) => { error = e; });
  worker.once('exit', (code) => {
    Atomics.store(health, 0, (code | 0) + 1);
    Atomics.notify(ctl, ${DONE});
    if (ready < inits.length) {
      parentPort.postMessage({ type: 'failed', message: 'kernel helper ' + i + ' exited (' + code + ') before it was ready' + (error ? ': ' + error.message : '') });
    }
    parentPort.postMessage({ type: 'exited', index: i, code });
    if (--alive === 0) parentPort.close();
  });
  return worker;
});
parentPort.on('message', (m) => {
  if (m && m.type === 'kill' && helpers[m.index]) void helpers[m.index].terminate();
});
`;
