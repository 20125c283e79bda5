"""PyTorch side of bench/engine.ts: one configuration per process, printed as one JSON line.

    /usr/bin/python3 bench/engine_torch.py --config lstm-256 [--threads 2] [--warmup-steps 4] [--windows 5] [--window 2]

The same training step as the engine's Trainer: one-hot input (vocabulary 28), or for the word-level
configuration an nn.Embedding (vocabulary 10,000, 256 wide), into nn.RNN / nn.GRU / nn.LSTM
(time-major), nn.Linear output, mean cross-entropy over the (T*B) targets, backward,
clip_grad_norm_(theta=1), SGD lr 1; sequential minibatches with the state carried and detached.
Timing matches the engine: warm-up steps, then windows of whole steps lasting at least --window
seconds, median tokens/s. Peak RSS is this process's ru_maxrss.
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

V, T, B = 28, 35, 32
# id: (cell, hidden, layers, vocabulary, embedding width; 0 = one-hot)
SPECS = {
    'rnn-512': ('rnn', 512, 1, V, 0),
    'rnn-256': ('rnn', 256, 1, V, 0),
    'gru-256': ('gru', 256, 1, V, 0),
    'lstm-256': ('lstm', 256, 1, V, 0),
    'lstm-2x256': ('lstm', 256, 2, V, 0),
    'word-lstm-256': ('lstm', 256, 1, 10_000, 256),
}
# the character-level ones, as (cell, hidden, layers): what bench/generation_torch.py times
CONFIGS = {k: v[:3] for k, v in SPECS.items() if v[3] == V and v[4] == 0}


class LanguageModel(nn.Module):
    def __init__(self, cell, hidden, layers, vocab, embedding):
        super().__init__()
        kind = {'rnn': nn.RNN, 'gru': nn.GRU, 'lstm': nn.LSTM}[cell]
        self.vocab = vocab
        self.embedding = nn.Embedding(vocab, embedding) if embedding > 0 else None
        self.rnn = kind(embedding or vocab, hidden, layers)
        self.output = nn.Linear(hidden, vocab)

    def forward(self, ids, state):
        x = self.embedding(ids) if self.embedding is not None else F.one_hot(ids, self.vocab).float()
        y, state = self.rnn(x, state)
        return self.output(y), state


def build():
    """The PyTorch build in a few words: version, the BLAS library this process loaded, the CPU
    capability its kernels dispatch to, and the OpenMP threads."""
    config = torch.__config__.show()
    capability = next((line.split(':', 1)[1].strip() for line in config.splitlines() if 'CPU capability usage' in line), 'unknown')
    torch.randn(64, 64) @ torch.randn(64, 64)  # make sure the BLAS is loaded
    with open('/proc/self/maps') as maps:
        paths = sorted({line.split()[-1] for line in maps if 'openblas' in line.lower() and '/' in line})
    blas = 'BLAS not seen in the process maps'
    if paths:
        import ctypes
        lib = ctypes.CDLL(paths[0])
        lib.openblas_get_config.restype = ctypes.c_char_p
        blas = f'{lib.openblas_get_config().decode().strip()}, {lib.openblas_get_num_threads()} BLAS thread(s)'
    return f'torch {torch.__version__}, {blas}, CPU capability {capability}, {torch.get_num_threads()} OpenMP thread(s)'


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--config', required=True, choices=sorted(SPECS))
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--warmup-steps', type=int, default=4)
    p.add_argument('--warmup-seconds', type=float, default=1.5)
    p.add_argument('--windows', type=int, default=5)
    p.add_argument('--window', type=float, default=2.0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    cell, hidden, layers, vocab, embedding = SPECS[a.config]
    model = LanguageModel(cell, hidden, layers, vocab, embedding)
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    corpus = torch.randint(0, vocab, (60_000,))
    rows = (corpus.numel() - 1) // B
    xs = corpus[: rows * B].reshape(B, rows).t().contiguous()   # (rows, B), each column one stream
    ys = corpus[1: rows * B + 1].reshape(B, rows).t().contiguous()
    batches = rows // T
    zeros = torch.zeros(layers, B, hidden)
    state = [None]
    pos = [0]

    def step():
        i = pos[0]
        if i == 0:
            state[0] = (zeros.clone(), zeros.clone()) if cell == 'lstm' else zeros.clone()
        x, y = xs[i * T:(i + 1) * T], ys[i * T:(i + 1) * T]
        logits, s = model(x, detach(state[0]))
        state[0] = s
        loss = F.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        pos[0] = (i + 1) % batches

    # the fastest warm-up step sizes the windows, as in bench/engine.ts
    fastest = float('inf')
    warm_start = time.perf_counter()
    i = 0
    while i < a.warmup_steps or time.perf_counter() - warm_start < a.warmup_seconds:
        t0 = time.perf_counter()
        step()
        fastest = min(fastest, time.perf_counter() - t0)
        i += 1
    per_window = max(1, math.ceil(a.window / max(fastest, 1e-4)))
    windows = []
    for _ in range(a.windows):
        t0 = time.perf_counter()
        for _ in range(per_window):
            step()
        windows.append(per_window * T * B / (time.perf_counter() - t0))
    print(json.dumps({
        'impl': 'torch', 'config': a.config, 'params': sum(q.numel() for q in model.parameters()),
        'tokensPerSecond': statistics.median(windows), 'windows': windows,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'threads': a.threads, 'version': 'torch ' + torch.__version__, 'build': build(),
    }))


if __name__ == '__main__':
    main()
