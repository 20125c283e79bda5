/*
 * How the caller's thread hands a slice of a kernel to a helper thread that runs the same
 * WebAssembly module on the same shared memory. One control block of 16 Int32 words per helper,
 * inside that memory:
 *
 *   [SEQ]    job number, written by the caller last (Atomics.store + notify)
 *   [DONE]   job number the helper finished, written by the helper last (Atomics.store + notify)
 *   [OP]     index into KERNEL_OPS, or OP_STOP to end the helper's loop
 *   [STATUS] 0, or 1 when the helper's call threw (the caller then throws too)
 *   [ARGS…]  up to MAX_ARGS i32 arguments (pointers are byte offsets)
 *
 * Besides the control blocks, one health word per helper: 0 while it lives; its exit code + 1 once
 * it is gone, written by the thread that started it (src/core/kernels), which sees the exit even
 * while the caller is blocked waiting. The caller checks it while it waits, so a helper that died
 * fails the call (`KernelHelperError`) instead of leaving it waiting forever.
 *
 * The helper's loop lives in src/core/kernels (it needs worker_threads); everything it needs to
 * know is here, so both sides read one definition.
 */

export const KERNEL_OPS = [
  'gemm_xwt', 'gemm_nn', 'transpose', 'sum_rows',
  'lstm_forward', 'lstm_backward', 'gru_forward', 'gru_backward',
  'tanh_in_place', 'relu_in_place', 'tanh_backward', 'relu_backward', 'gemm_tn', 'pack_strips',
  'lse_rows', 'xent_backward', 'sum_squares', 'scale_in_place', 'axpy',
  'rnn_step', 'lstm_step', 'gru_step',
] as const;
export type KernelOp = (typeof KERNEL_OPS)[number];

export const CONTROL_WORDS = 16;
export const SEQ = 0;
export const DONE = 1;
export const OP = 2;
export const STATUS = 3;
export const ARGS = 4;
export const MAX_ARGS = CONTROL_WORDS - ARGS;
export const OP_STOP = -1;

/** What a helper thread needs: the compiled module, the shared memory and its control block. */
export interface HelperInit {
  /** A WebAssembly.Module (structured-cloneable to a worker). */
  module: object;
  /** The shared WebAssembly.Memory. */
  memory: object;
  /** Byte offset of this helper's control block in the memory. */
  control: number;
  /** Byte offset of this helper's health word (Int32) in the memory. */
  health: number;
  ops: readonly string[];
  /** Atomics.load polls before falling back to Atomics.wait (spinning keeps hand-offs ~1 µs). */
  spin: number;
}
