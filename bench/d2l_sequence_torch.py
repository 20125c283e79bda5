"""PyTorch side of the d2l "Sequence Models" reproduction (bench/d2l-sequence.ts).

usage: python3 d2l_sequence_torch.py SERIES.csv --window 4 --train 600 --cell gru --hidden 16
           --layers 1 --epochs 10 --lr 0.01 --batch 16 --seed 0 [--k 1,4,16,64]

The same model and data as `rnn-lab train --task forecast`: the CSV's column x, z-scored with the
mean and (population) std of the first TRAIN rows; windows of WINDOW values predicting the next
one, training windows those whose target lies in the first TRAIN rows, validation windows the rest;
`Forecaster` (nn.GRU/LSTM/RNN, then nn.Linear on the last step: the module RNN Lab's exports load
into, tests/fixtures/forecast/rnnlab_forecast.py) trained with Adam on MSE, minibatches of shuffled
windows, each window from a zero state. Prints one JSON object: the one-step MSE on the validation
windows and d2l's k-step-ahead MSE from every origin in the validation part, in original units,
with the last-value baseline beside them.
"""
import argparse
import csv
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "forecast"))
from rnnlab_forecast import Forecaster  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("csv")
p.add_argument("--column", default="x")
p.add_argument("--window", type=int, default=4)
p.add_argument("--train", type=int, default=600)
p.add_argument("--cell", default="gru")
p.add_argument("--hidden", type=int, default=16)
p.add_argument("--layers", type=int, default=1)
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--lr", type=float, default=0.01)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--k", default="1,4,16,64")
a = p.parse_args()

torch.manual_seed(a.seed)
torch.set_num_threads(1)
with open(a.csv, newline="") as f:
    x = torch.tensor([float(r[a.column]) for r in csv.DictReader(f)], dtype=torch.float64)
T, W, n = len(x), a.window, a.train
mean, std = x[:n].mean(), x[:n].std(unbiased=False)
z = ((x - mean) / std).float()


def windows(starts):
    """(W, batch, 1) inputs and (batch, 1) next values for window starts."""
    idx = torch.tensor(starts)[None, :] + torch.arange(W)[:, None]
    return z[idx].unsqueeze(-1), z[torch.tensor(starts) + W].unsqueeze(-1)


train_starts = list(range(0, n - W))
val_starts = list(range(n - W, T - W))
cfg = {"cell": a.cell, "input_size": 1, "hidden_size": a.hidden, "num_layers": a.layers, "output_size": 1, "dropout": 0.0, "nonlinearity": "tanh"}
model = Forecaster(cfg)
opt = torch.optim.Adam(model.parameters(), lr=a.lr)
loss_fn = nn.MSELoss()
history = []
for epoch in range(a.epochs):
    order = torch.randperm(len(train_starts)).tolist()
    total = 0.0
    for i in range(0, len(order), a.batch):
        batch = [train_starts[j] for j in order[i:i + a.batch]]
        xb, yb = windows(batch)
        opt.zero_grad()
        loss = loss_fn(model(xb)[0], yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(batch)
    history.append(total / len(train_starts))

model.eval()
orig = lambda v: v.double() * std + mean  # noqa: E731
with torch.no_grad():
    xv, yv = windows(val_starts)
    one = ((orig(model(xv)[0]) - orig(yv)) ** 2).mean().item()
    last = ((orig(xv[-1]) - orig(yv)) ** 2).mean().item()
    # d2l's k-step: from every origin i (observations before i), feed predictions back maxK times
    ks = [int(k) for k in a.k.split(",")]
    K = max(ks)
    origins = list(range(max(W, n), T - K + 1))
    cols = torch.zeros(len(origins), W + K)
    for r, i in enumerate(origins):
        cols[r, :W] = z[i - W:i]
    for c in range(W, W + K):
        cols[:, c] = model(cols[:, c - W:c].T.unsqueeze(-1))[0][:, 0]
    kmse, kbase = [], []
    for k in ks:
        truth = orig(torch.stack([z[i + k - 1] for i in origins]))
        kmse.append(((orig(cols[:, W + k - 1]) - truth) ** 2).mean().item())
        kbase.append(((orig(torch.stack([z[i - 1] for i in origins])) - truth) ** 2).mean().item())
print(json.dumps({"torch": torch.__version__, "train_loss": history, "one_step_mse": one, "baseline_one_step_mse": last,
                  "k": ks, "k_mse": kmse, "baseline_k_mse": kbase, "origins": len(origins)}))
