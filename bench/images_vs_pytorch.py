#!/usr/bin/env python3
"""The Images use case against PyTorch on the bundled digits: the same small CNN (two blocks
of 3x3 conv, batch norm, ReLU and 2x2 max pool at 16 and 32 channels, dropout 0.25, a linear
head), Adam at 1e-3, batches of 32, 15 epochs, images resized to 16x16, a stratified 20%
validation split, training images shifted by up to 2 pixels and brightened by up to 10%.
Prints seconds per epoch and validation accuracy of each, and the ratio.

    python3 bench/images_vs_pytorch.py [--runs 3] [--threads 2]

Needs torch (CPU) and scikit-learn in the Python it runs under; `playbook` built with
`cargo build --release` (or PLAYBOOK=path).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = os.environ.get("PLAYBOOK", str(Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "playbook"))
SIZE, EPOCHS, BATCH, LR = 16, 15, 32, 1e-3


def digits():
    rows = np.loadtxt(ROOT / "sample-data" / "digits.csv", delimiter=",", dtype=np.float32)
    return rows[:, :64].reshape(-1, 1, 8, 8) / 16.0, rows[:, 64].astype(np.int64)


def torch_run(seed, threads):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from sklearn.model_selection import train_test_split

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    x, y = digits()
    x = F.interpolate(torch.from_numpy(x), size=SIZE, mode="bilinear", align_corners=False)
    y = torch.from_numpy(y)
    tr, va = train_test_split(np.arange(len(y)), test_size=0.2, stratify=y.numpy(), random_state=seed)
    mean, std = x[tr].mean(), x[tr].std()
    x = (x - mean) / std

    def block(cin, cout):
        return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2))

    model = nn.Sequential(block(1, 16), block(16, 32), nn.Flatten(), nn.Dropout(0.25), nn.Linear(32 * (SIZE // 4) ** 2, 10))
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    gen = torch.Generator().manual_seed(seed)
    epoch_seconds, best = [], (float("inf"), 0.0)
    for _ in range(EPOCHS):
        t0 = time.perf_counter()
        model.train()
        order = torch.from_numpy(tr)[torch.randperm(len(tr), generator=gen)]
        for i in range(0, len(order), BATCH):
            idx = order[i : i + BATCH]
            xb = x[idx]
            # Shift by up to 2 pixels (edge repeated) and scale brightness by up to 10%.
            dx, dy = (int(v) for v in torch.randint(-2, 3, (2,), generator=gen))
            xb = torch.roll(F.pad(xb, (2, 2, 2, 2), mode="replicate"), (dy, dx), (2, 3))[:, :, 2:-2, 2:-2]
            xb = xb * (1 + (torch.rand(len(idx), 1, 1, 1, generator=gen) - 0.5) * 0.2)
            loss = F.cross_entropy(model(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            logits = model(x[va])
            val_loss = F.cross_entropy(logits, y[va]).item()
            acc = (logits.argmax(1) == y[va]).float().mean().item()
        epoch_seconds.append(time.perf_counter() - t0)
        if val_loss < best[0]:
            best = (val_loss, acc)
    return statistics.median(epoch_seconds), best[1]


def playbook_run(seed, threads):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    out = subprocess.run(
        [PLAYBOOK, "--no-record", "images", "train", "--dir", str(ROOT / "sample-data" / "digits"),
         "--size", str(SIZE), "--epochs", str(EPOCHS), "--batch", str(BATCH), "--lr", str(LR),
         "--patience", str(EPOCHS), "--seed", str(seed), "--json", "--model-out", "/tmp/bench-digits.model"],
        check=True, capture_output=True, text=True, env=env,
    )
    v = json.loads(out.stdout)
    return statistics.median(e["seconds"] for e in v["history"]), v["val_accuracy"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    import torch

    print(f"torch {torch.__version__}, {a.threads} threads; {EPOCHS} epochs of {SIZE}x{SIZE} digits, batch {BATCH}")
    pb, pt = [], []
    for r in range(a.runs):
        # Alternate, so that both see the same noise on a shared machine.
        pb.append(playbook_run(42 + r, a.threads))
        pt.append(torch_run(42 + r, a.threads))
        print(f"run {r + 1}: playbook {pb[-1][0]:.3f} s/epoch, accuracy {pb[-1][1]:.4f}; "
              f"pytorch {pt[-1][0]:.3f} s/epoch, accuracy {pt[-1][1]:.4f}")
    mb = statistics.median(s for s, _ in pb)
    mt = statistics.median(s for s, _ in pt)
    print(f"median seconds per epoch: playbook {mb:.3f}, pytorch {mt:.3f}, ratio pytorch/playbook {mt / mb:.2f}")
    print(f"median validation accuracy: playbook {statistics.median(a for _, a in pb):.4f}, "
          f"pytorch {statistics.median(a for _, a in pt):.4f}")


if __name__ == "__main__":
    sys.exit(main())
