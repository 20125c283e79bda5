"""PyTorch side of bench/generation.ts: greedy generation, batch 1, one token per step with the
state carried, as a user's `predict` loop (d2l 9.5) would do it; one JSON line on stdout.

    /usr/bin/python3 bench/generation_torch.py --config lstm-256 [--tokens 2000] [--repeats 5] [--threads 1]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from engine_torch import CONFIGS, V  # the same model shapes as the training bench


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--config', required=True, choices=sorted(CONFIGS))
    p.add_argument('--tokens', type=int, default=2000)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--threads', type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    cell, hidden, layers = CONFIGS[a.config]
    torch.manual_seed(1)
    rnn = {'rnn': nn.RNN, 'gru': nn.GRU, 'lstm': nn.LSTM}[cell](V, hidden, layers)
    output = nn.Linear(hidden, V)
    prefix = torch.tensor([(i * 7) % V for i in range(10)])

    def run(count):
        with torch.no_grad():
            _, state = rnn(F.one_hot(prefix[:-1], V).float().unsqueeze(1))
            token = prefix[-1:]
            for _ in range(count):
                y, state = rnn(F.one_hot(token, V).float().unsqueeze(1), state)
                probs = torch.softmax(output(y[0]), dim=-1)
                token = probs.argmax(dim=-1)

    run(200)
    rates = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        run(a.tokens)
        rates.append(a.tokens / (time.perf_counter() - t0))
    print(json.dumps({'tokensPerSec': statistics.median(rates), 'torch': torch.__version__, 'threads': a.threads}))


main()
