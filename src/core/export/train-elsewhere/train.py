#!/usr/bin/env python3
"""Train an RNN Lab run with PyTorch, with RNN Lab's semantics (written by RNN Lab's "Train elsewhere").

    python train.py [--epochs N] [--device cpu|cuda] [--out DIR]
    torchrun --standalone --nproc_per_node=N train.py

Reads config.json, vocab.json, train.bin / val.bin (little-endian int32 token ids) and
initial.safetensors beside this file; writes metrics.jsonl, checkpoints/epoch-NNNN.safetensors
and copies of config.json and vocab.json to --out (default: ./output), which
`rnn-lab import --project P --from-pytorch-run DIR` brings back as a run. Needs torch only.

Same as RNN Lab: minibatch iterators (d2l 8.3) with its random generator (xoshiro128**), so the
offsets and shuffles are the same; hidden state carried and detached between sequential minibatches;
clipping by global norm (the pre-clip norm is logged); the optimizers and learning-rate schedules
with warm-up; validation every valEvery epochs. Dropout masks come from torch, so with dropout > 0
results agree statistically, not exactly.

Distributed (torchrun): sequential sampling gives each rank a contiguous slice of the training
stream; random sampling splits every minibatch between the ranks (batchSize must divide evenly).
"""
import argparse
import array
import json
import math
import os
import shutil
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MASK32 = 0xFFFFFFFF


# ---- random numbers: src/engine/rng.ts (xoshiro128**), bit for bit --------------------------------

def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK32


class Rng:
    def __init__(self, state):
        self.s = [int(v) & MASK32 for v in state]

    def next_uint32(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK32, 7) * 9) & MASK32
        t = (s[1] << 9) & MASK32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def next_int(self, n):
        """Uniform integer in [0, n), without modulo bias."""
        limit = 0x100000000 - (0x100000000 % n)
        while True:
            x = self.next_uint32()
            if x < limit:
                return x % n

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.next_int(i + 1)
            items[i], items[j] = items[j], items[i]


# ---- minibatches: src/engine/data/seq-batches.ts and seq-iterator.ts ------------------------------

def max_offset(mode, T):
    return T if mode == 'sequential' else T - 1


def num_batches(mode, L, B, T, offset):
    if mode == 'sequential':
        return max(0, (L - offset - 1) // B) // T
    return max(0, (L - offset - 1) // T) // B


def min_batches_per_epoch(mode, L, B, T):
    return num_batches(mode, L, B, T, max_offset(mode, T))


class SeqIterator:
    """One epoch at a time: the offset (and for random sampling the order) drawn at its start.

    `part` = (rank, world): sequential reads rank's contiguous slice of the corpus (given as
    `corpus` already), random keeps the whole corpus and takes rank's share of each minibatch.
    """

    def __init__(self, corpus, mode, B, T, rng, part=(0, 1)):
        self.corpus, self.mode, self.B, self.T, self.rng = corpus, mode, B, T, rng
        self.rank, self.world = part
        self.epoch = -1
        self.draw_epoch()

    def draw_epoch(self):
        L, T, B = len(self.corpus), self.T, self.B
        self.epoch += 1
        self.offset = self.rng.next_int(max_offset(self.mode, T) + 1)
        self.batches = num_batches(self.mode, L, B, T, self.offset)
        if self.mode == 'random':
            n = max(0, (L - self.offset - 1) // T)
            order = list(range(n))
            self.rng.shuffle(order)
            self.order = torch.tensor(order, dtype=torch.int64)

    def batch(self, i):
        """Minibatch i as (x, y), each (T, B) time-major; y is x one token further."""
        c, T, B, o = self.corpus, self.T, self.B, self.offset
        steps = torch.arange(T, dtype=torch.int64)[:, None]
        if self.mode == 'sequential':
            row = (len(c) - o - 1) // B
            starts = o + torch.arange(B, dtype=torch.int64) * row + i * T
        else:
            share = B // self.world
            picked = self.order[i * B + self.rank * share: i * B + (self.rank + 1) * share]
            starts = o + picked * T
        idx = starts[None, :] + steps
        return c[idx], c[idx + 1]


# ---- learning rate: src/engine/optim/lr-schedule.ts and train/options.ts --------------------------

def lr_schedule(cfg, batches_per_epoch, epochs):
    per_epoch = max(1, batches_per_epoch)
    kind = cfg['schedule']
    sched = {'kind': kind}
    if kind == 'step':
        sched['stepSize'] = cfg['scheduleStep'] * per_epoch
        sched['gamma'] = cfg['scheduleGamma']
    elif kind == 'exp':
        sched['gamma'] = cfg['scheduleGamma'] ** (1 / per_epoch)
    elif kind == 'cosine':
        sched['totalSteps'] = max(1, epochs * per_epoch)
    return {'base': cfg['lr'], 'warmup': cfg['warmupSteps'], 'schedule': sched}


def lr_at(s_cfg, step):
    base, w, sched = s_cfg['base'], s_cfg['warmup'], s_cfg['schedule']
    if step < w:
        return base * (step + 1) / w
    s = step - w
    kind = sched['kind']
    if kind == 'step':
        return base * sched['gamma'] ** (s // sched['stepSize'])
    if kind == 'exp':
        return base * sched['gamma'] ** s
    if kind == 'cosine':
        span = sched['totalSteps'] - w
        if span <= 0 or s >= span:
            return 0.0
        return base * (1 + math.cos(math.pi * s / span)) / 2
    return base


# ---- the model: embedding or one-hot -> nn.RNN/GRU/LSTM -> nn.Linear (PyTorch names) ---------------

class LanguageModel(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.vocab_size, self.cell = m['vocab_size'], m['cell']
        width = self.vocab_size
        if m['embedding_dim'] > 0:
            self.embedding = nn.Embedding(self.vocab_size, m['embedding_dim'])
            width = m['embedding_dim']
        else:
            self.embedding = None
        kind = {'rnn': nn.RNN, 'gru': nn.GRU, 'lstm': nn.LSTM}[self.cell]
        extra = {'nonlinearity': m['nonlinearity']} if self.cell == 'rnn' else {}
        self.rnn = kind(width, m['hidden_size'], m['num_layers'], dropout=m['dropout'], **extra)
        self.output = nn.Linear(m['hidden_size'], self.vocab_size)

    def forward(self, x, state):
        inputs = self.embedding(x) if self.embedding is not None else F.one_hot(x, self.vocab_size).float()
        out, state = self.rnn(inputs, state)
        return self.output(out), state


def zero_state(m, batch, device):
    h = torch.zeros(m['num_layers'], batch, m['hidden_size'], device=device)
    return (h, torch.zeros_like(h)) if m['cell'] == 'lstm' else h


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


# ---- safetensors without the safetensors package ---------------------------------------------------

def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        dtype = {'F32': torch.float32, 'F64': torch.float64}[info['dtype']]
        a, b = info['data_offsets']
        t = torch.frombuffer(bytearray(data[8 + n + a:8 + n + b]), dtype=dtype) if b > a else torch.zeros(0, dtype=dtype)
        out[name] = t.reshape(info['shape']).float()
    return out


def float32_bytes(t):
    t = t.detach().to('cpu', torch.float32).contiguous().flatten()
    try:
        return t.numpy().tobytes()
    except (ImportError, RuntimeError):  # torch without numpy
        return array.array('f', t.tolist()).tobytes()


def write_safetensors(path, tensors, metadata):
    header, blobs, at = {'__metadata__': metadata}, [], 0
    for name, t in tensors.items():
        raw = float32_bytes(t)
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [at, at + len(raw)]}
        blobs.append(raw)
        at += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf8')
    text += b' ' * (-len(text) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_ids(path):
    with open(path, 'rb') as f:
        raw = bytearray(f.read())
    if sys.byteorder != 'little':
        raise SystemExit('train.py reads little-endian int32 files; this machine is big-endian')
    return torch.frombuffer(raw, dtype=torch.int32).to(torch.int64) if raw else torch.zeros(0, dtype=torch.int64)


# ---- the training loop: src/engine/train/trainer.ts and src/core/training/run-executor.ts --------

def global_norm(params):
    total = 0.0
    for p in params:
        if p.grad is not None:
            total += float(p.grad.detach().double().pow(2).sum())
    return math.sqrt(total)


def make_optimizer(cfg, params):
    kind, lr, wd, mu = cfg['optimizer'], cfg['lr'], cfg['weightDecay'], cfg['momentum']
    if kind == 'sgd':
        return torch.optim.SGD(params, lr=lr, momentum=mu, weight_decay=wd)
    if kind == 'adam':
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if kind == 'adamw':
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    return torch.optim.RMSprop(params, lr=lr, alpha=0.99, eps=1e-8, momentum=mu, weight_decay=wd)


def finite(v):
    return v if v is not None and math.isfinite(v) else None


@torch.no_grad()
def evaluate(model, m, val, B, T, device):
    """Up to B contiguous streams of the validation ids, read T at a time with the state carried."""
    rows = max(0, min(B, len(val) - 1))
    if rows == 0:
        return None
    row = (len(val) - 1) // rows
    base = torch.arange(rows, dtype=torch.int64) * row
    state, total, count = zero_state(m, rows, device), 0.0, 0
    model.eval()
    for start in range(0, row, T):
        steps = min(T, row - start)
        idx = base[None, :] + start + torch.arange(steps, dtype=torch.int64)[:, None]
        x, y = val[idx].to(device), val[idx + 1].to(device)
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, m['vocab_size']), y.reshape(-1)).item()
        total += loss * steps * rows
        count += steps * rows
    model.train()
    loss = total / count
    return {'loss': loss, 'perplexity': math.exp(loss)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--epochs', type=int, default=None, help='Epochs to train (default: the run config).')
    ap.add_argument('--device', default=None, help='cpu, cuda, cuda:1, ... (default: cuda when available).')
    ap.add_argument('--out', default=os.path.join(HERE, 'output'), help='Output folder (default: ./output).')
    ap.add_argument('--data', default=HERE, help='Folder with config.json, the data and initial weights.')
    args = ap.parse_args()

    with open(os.path.join(args.data, 'config.json'), encoding='utf8') as f:
        config = json.load(f)
    run, m, engine = config['run'], config['model'], config['engine']
    epochs = args.epochs if args.epochs is not None else run['epochs']
    B, T, mode = run['batchSize'], run['numSteps'], run['sampler']

    world, rank, local_rank = int(os.environ.get('WORLD_SIZE', '1')), int(os.environ.get('RANK', '0')), int(os.environ.get('LOCAL_RANK', '0'))
    device = torch.device(args.device or ('cuda' if torch.cuda.is_available() else 'cpu'))
    if device.type == 'cuda' and world > 1:
        device = torch.device('cuda', local_rank)
        torch.cuda.set_device(device)
    if world > 1:
        import torch.distributed as dist
        dist.init_process_group('nccl' if device.type == 'cuda' else 'gloo')
        if mode == 'random' and B % world != 0:
            raise SystemExit(f'random sampling splits each minibatch between ranks: batchSize {B} must be a multiple of {world}')

    train = read_ids(os.path.join(args.data, engine['trainFile']))
    val = read_ids(os.path.join(args.data, engine['valFile']))
    if len(train) != engine['trainTokens'] or len(val) != engine['valTokens']:
        raise SystemExit('train.bin / val.bin do not hold the token counts config.json names')
    if mode == 'sequential' and world > 1:
        share = len(train) // world
        train = train[rank * share:(rank + 1) * share]
    rng = Rng(engine['iteratorRngState'])
    it = SeqIterator(train, mode, B, T, rng, (rank, world))
    if it.batches < 1:
        raise SystemExit('the training stream is too short for one minibatch per rank')
    nominal = min_batches_per_epoch(mode, len(train), B, T)
    schedule = lr_schedule(run, nominal, epochs)
    window = max(1, min(50, math.ceil(nominal / 20)))
    clip, clip_mode = run['clip'], engine['clipMode']

    model = LanguageModel(m)
    weights = read_safetensors(os.path.join(args.data, engine['initialWeights']))
    model.load_state_dict(weights, strict=True)
    model.to(device)
    net = model
    if world > 1:
        net = nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if device.type == 'cuda' else None)
    params = list(model.parameters())
    optimizer = make_optimizer(run, params)

    out = args.out
    metrics = None
    if rank == 0:
        os.makedirs(os.path.join(out, 'checkpoints'), exist_ok=True)
        for name in ('config.json', 'vocab.json'):
            if os.path.abspath(os.path.join(args.data, name)) != os.path.abspath(os.path.join(out, name)):
                shutil.copyfile(os.path.join(args.data, name), os.path.join(out, name))
        metrics = open(os.path.join(out, 'metrics.jsonl'), 'w', encoding='utf8')

    t0 = time.time()

    def record(r):
        if metrics is not None:
            metrics.write(json.dumps({k: (finite(v) if isinstance(v, float) else v) for k, v in r.items()}) + '\n')
            metrics.flush()

    def mean_over_ranks(v):
        if world == 1:
            return v
        t = torch.tensor([v], dtype=torch.float64, device=device)
        torch.distributed.all_reduce(t)
        return float(t.item()) / world

    updates, tokens_step = 0, T * (B if mode == 'sequential' else B // world) * world
    state = None
    for e in range(1, epochs + 1):
        ep = {'loss': 0.0, 'tokens': 0, 'steps': 0, 'norm': 0.0, 'lr': float('nan'), 'start': time.time()}
        win = {'loss': 0.0, 'tokens': 0, 'steps': 0, 'norm': 0.0, 'lr': float('nan'), 'start': time.time()}

        def close_window(epoch_at):
            if win['steps'] > 0:
                secs = time.time() - win['start']
                loss = win['loss'] / win['tokens']
                record({'kind': 'train', 'step': updates, 'epoch': epoch_at, 'time': time.time() - t0, 'loss': loss, 'perplexity': math.exp(loss),
                        'gradNorm': win['norm'] / win['steps'], 'lr': win['lr'], 'tokensPerSec': win['tokens'] / secs if secs > 0 else None})
            win.update(loss=0.0, tokens=0, steps=0, norm=0.0, lr=float('nan'), start=time.time())

        for i in range(it.batches):
            x, y = (t.to(device) for t in it.batch(i))
            if mode == 'random' or i == 0:
                state = zero_state(m, x.shape[1], device)
            else:
                state = detach(state)
            lr = lr_at(schedule, updates)
            optimizer.zero_grad(set_to_none=False)
            logits, state = net(x, state)
            loss = F.cross_entropy(logits.reshape(-1, m['vocab_size']), y.reshape(-1))
            loss.backward()
            norm = global_norm(params)
            value = mean_over_ranks(loss.item())
            if not (math.isfinite(value) and math.isfinite(norm)):
                record({'kind': 'train', 'step': updates, 'epoch': e - 1 + i / it.batches, 'time': time.time() - t0, 'loss': value, 'perplexity': None, 'gradNorm': norm, 'lr': lr})
                raise SystemExit(f'diverged at update {updates} (loss {value}, gradient norm {norm})')
            if clip > 0:
                # d2l: scale by clip/‖g‖ when ‖g‖ > clip; torch's clip_grad_norm_: by clip/(‖g‖ + 1e-6) when below 1
                coef = (clip / norm if norm > clip else 1.0) if clip_mode == 'd2l' else min(1.0, clip / (norm + 1e-6))
                if coef < 1:
                    for p in params:
                        p.grad.mul_(coef)
            for g in optimizer.param_groups:
                g['lr'] = lr
            optimizer.step()
            updates += 1
            for acc in (ep, win):
                acc['loss'] += value * tokens_step
                acc['tokens'] += tokens_step
                acc['steps'] += 1
                acc['norm'] += norm
                acc['lr'] = lr
            if i + 1 < it.batches and updates % window == 0:
                close_window(e - 1 + (i + 1) / it.batches)
        close_window(e)
        final = e >= epochs
        now = time.time() - t0
        v = None
        if rank == 0 and (e % run['valEvery'] == 0 or final):
            v = evaluate(model, m, val, B, T, device)
            if v is not None:
                record({'kind': 'val', 'step': updates, 'epoch': e, 'time': now, 'loss': v['loss'], 'perplexity': v['perplexity']})
        loss = ep['loss'] / ep['tokens']
        secs = time.time() - ep['start']
        record({'kind': 'epoch', 'step': updates, 'epoch': e, 'time': now, 'loss': loss, 'perplexity': math.exp(loss),
                'gradNorm': ep['norm'] / ep['steps'], 'lr': ep['lr'], 'tokensPerSec': ep['tokens'] / secs if secs > 0 else None})
        if rank == 0 and (e % run['checkpointEvery'] == 0 or final):
            meta = {'format': 'pt', 'epoch': str(e), 'step': str(updates)}
            if v is not None:
                meta['valPerplexity'] = repr(v['perplexity'])
            write_safetensors(os.path.join(out, 'checkpoints', f'epoch-{e:04d}.safetensors'), model.state_dict(), meta)
        if rank == 0:
            print(f'epoch {e}: loss {loss:.4f}, perplexity {math.exp(loss):.3f}' + (f', val perplexity {v["perplexity"]:.3f}' if v else ''), flush=True)
        it.draw_epoch()
    if metrics is not None:
        metrics.close()
    if world > 1:
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()
        # torch 1.13's gloo threads can hang the interpreter's exit (seen under a test runner);
        # everything is written and flushed, so leave without that teardown
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == '__main__':
    main()
