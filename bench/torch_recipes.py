"""A recipe study for fer4j's CNN, in PyTorch on a GPU, to choose what `fer train` should run on CPU.

Each recipe trains fernet9 (layer for layer as fer-pytorch's Networks builds fer-cnn's Architecture; `--wide` doubles every width) with
fer4j's defaults: batch 64, SGD Nesterov 0.9, weight decay 5e-4, peak rate 0.01 after one warm-up epoch then cosine,
label smoothing 0.1, random views of each 48x48 face (shift 3 px, rotation 10 degrees, scale 10 %, mirror) cropped to
44x44, and standardized with the training mean and std. Options add one change each. The epoch is picked on
PublicTest; PrivateTest is scored at that epoch only (centre crop, mirror TTA and ten-crop TTA), and its probabilities
are saved so ensembles of recipes can be scored afterwards.

Usage: torch_recipes.py DATA.npz OUT_DIR NAME [--epochs N] [--seed S] [--wide] [--erasing P] [--mixup A]
                        [--ferplus FER2013NEW.csv] [--deadline UNIX_SECONDS]
DATA.npz holds X (N x 2304 uint8), y (N) and u (N: 0 Training, 1 PublicTest, 2 PrivateTest).
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def fernet9(classes=7, width=1):
    layers, channels = [], 1
    for stage in ([32], [64, 64], [128, 128], [256, 256]):
        for w in stage:
            w *= width
            layers += [nn.Conv2d(channels, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
            channels = w
        layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
    hidden = 256 * width
    layers += [nn.Flatten(), nn.Dropout(0.5), nn.Linear(channels * 3 * 3, hidden), nn.ReLU(inplace=True),
               nn.Dropout(0.5), nn.Linear(hidden, classes)]
    return nn.Sequential(*layers)


def views(x, gen, shift=3.0, rotation=10.0, scale=0.1, side=44):
    """Random affine views of 48x48 faces (N,1,48,48 floats), sampled to side x side with border clamping."""
    n = x.shape[0]
    dev = x.device
    u = lambda m: (torch.rand(n, device=dev, generator=gen) * 2 - 1) * m
    angle = u(math.radians(rotation))
    s = 1 + u(scale)
    dx, dy = u(shift), u(shift)
    mirror = torch.where(torch.rand(n, device=dev, generator=gen) < 0.5, -1.0, 1.0)
    ratio = side / 48.0
    cos, sin = torch.cos(angle) / s * ratio, torch.sin(angle) / s * ratio
    theta = torch.stack([torch.stack([cos * mirror, -sin, dx * 2 / 48], 1),
                         torch.stack([sin * mirror, cos, dy * 2 / 48], 1)], 1)
    grid = F.affine_grid(theta, (n, 1, side, side), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def erase(x, gen, p):
    """Random erasing: with probability p, a rectangle (2-33 % of the area, aspect 0.3-3.3) set to 0 (the mean)."""
    n, _, h, w = x.shape
    dev = x.device
    area = (torch.rand(n, device=dev, generator=gen) * 0.31 + 0.02) * h * w
    aspect = torch.exp(torch.rand(n, device=dev, generator=gen) * (math.log(3.3) - math.log(0.3)) + math.log(0.3))
    eh = torch.sqrt(area * aspect).clamp(1, h).long()
    ew = torch.sqrt(area / aspect).clamp(1, w).long()
    y0 = (torch.rand(n, device=dev, generator=gen) * (h - eh + 1)).long()
    x0 = (torch.rand(n, device=dev, generator=gen) * (w - ew + 1)).long()
    rows = torch.arange(h, device=dev).view(1, h, 1)
    cols = torch.arange(w, device=dev).view(1, 1, w)
    mask = ((rows >= y0.view(n, 1, 1)) & (rows < (y0 + eh).view(n, 1, 1))
            & (cols >= x0.view(n, 1, 1)) & (cols < (x0 + ew).view(n, 1, 1)))
    mask &= (torch.rand(n, device=dev, generator=gen) < p).view(n, 1, 1)
    return x.masked_fill(mask.unsqueeze(1), 0.0)


def ferplus_targets(path, count):
    """FER+ votes mapped to FER2013's order (Angry..Neutral), contempt/unknown/NF dropped, renormalised; None if 0."""
    order = {"anger": 0, "disgust": 1, "fear": 2, "happiness": 3, "sadness": 4, "surprise": 5, "neutral": 6}
    t = np.zeros((count, 7), np.float32)
    with open(path) as f:
        header = f.readline().strip().split(",")
        cols = {name: header.index(name) for name in order}
        for i, line in enumerate(f):
            v = line.strip().split(",")
            for name, c in order.items():
                t[i, c] = float(v[cols[name]] or 0)
    total = t.sum(1, keepdims=True)
    ok = total[:, 0] > 0
    t[ok] /= total[ok]
    return t, ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("name")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wide", action="store_true")
    ap.add_argument("--erasing", type=float, default=0.0)
    ap.add_argument("--mixup", type=float, default=0.0)
    ap.add_argument("--ferplus")
    ap.add_argument("--deadline", type=float, default=0)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cudnn.benchmark = True
    d = np.load(a.data)
    X = torch.from_numpy(d["X"]).view(-1, 1, 48, 48).float().div(255).to(dev)
    y = torch.from_numpy(d["y"].astype(np.int64)).to(dev)
    u = d["u"]
    train, public, private = (torch.from_numpy(np.where(u == k)[0]).to(dev) for k in range(3))
    targets = F.one_hot(y, 7).float()
    if a.ferplus:
        t, ok = ferplus_targets(a.ferplus, len(u))
        targets = torch.from_numpy(t).to(dev)
        train = train[torch.from_numpy(ok).to(dev)[train]]
    mean, std = X[train].mean(), X[train].std()
    X = (X - mean) / std
    model = fernet9(width=2 if a.wide else 1).to(dev).to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)
    batch = 64
    steps = len(train) // batch
    total = steps * a.epochs
    gen = torch.Generator(device=dev).manual_seed(a.seed)

    def rate(step):
        e = step / steps
        if e < 1:
            return 0.01 * e
        return 0.01 * 0.5 * (1 + math.cos(math.pi * (step - steps) / (total - steps)))

    def probs(idx, tta):
        model.eval()
        out = []
        with torch.no_grad():
            for s in range(0, len(idx), 1024):
                x = X[idx[s:s + 1024]]
                if tta == "centre":
                    crops = [x[:, :, 2:46, 2:46]]
                elif tta == "flip":
                    c = x[:, :, 2:46, 2:46]
                    crops = [c, c.flip(3)]
                else:  # ten crops: four corners and centre, and their mirrors
                    crops = []
                    for oy, ox in ((0, 0), (0, 4), (4, 0), (4, 4), (2, 2)):
                        c = x[:, :, oy:oy + 44, ox:ox + 44]
                        crops += [c, c.flip(3)]
                p = sum(F.softmax(model(c.contiguous(memory_format=torch.channels_last)), 1) for c in crops) / len(crops)
                out.append(p)
        model.train()
        return torch.cat(out)

    best = (-1, 0)
    best_state = None
    history = []
    step = 0
    started = time.time()
    for epoch in range(1, a.epochs + 1):
        order = train[torch.randperm(len(train), device=dev, generator=gen)]
        loss_sum = 0.0
        for b in range(steps):
            rows = order[b * batch:(b + 1) * batch]
            x = views(X[rows], gen)
            t = targets[rows]
            if a.erasing > 0:
                x = erase(x, gen, a.erasing)
            if a.mixup > 0:
                lam = float(np.random.default_rng(a.seed * 100003 + step).beta(a.mixup, a.mixup))
                perm = torch.randperm(batch, device=dev, generator=gen)
                x = lam * x + (1 - lam) * x[perm]
                t = lam * t + (1 - lam) * t[perm]
            t = t * 0.9 + 0.1 / 7
            for g in opt.param_groups:
                g["lr"] = rate(step)
            logits = model(x.contiguous(memory_format=torch.channels_last))
            loss = -(F.log_softmax(logits, 1) * t).sum(1).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() if b % 50 == 0 else 0
            step += 1
        p = probs(public, "centre")
        acc = (p.argmax(1) == y[public]).float().mean().item()
        history.append(round(acc, 4))
        if acc > best[0]:
            best = (acc, epoch)
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        if a.deadline and time.time() > a.deadline:
            break
    model.load_state_dict(best_state)
    result = {"name": a.name, "epochs_run": len(history), "epochs": a.epochs, "best_epoch": best[1],
              "public_centre": round(best[0], 4), "seconds": round(time.time() - started, 1), "history": history}
    truth = y[private]
    for tta in ("centre", "flip", "ten"):
        p = probs(private, tta)
        pred = p.argmax(1)
        recall = [((pred == c) & (truth == c)).sum().item() / max(1, (truth == c).sum().item()) for c in range(7)]
        result["private_" + tta] = round((pred == truth).float().mean().item(), 4)
        result["private_aca_" + tta] = round(sum(recall) / 7, 4)
        np.save(f"{a.out}/{a.name}-private-{tta}.npy", p.cpu().numpy())
        if tta == "flip":
            np.save(f"{a.out}/{a.name}-public-flip.npy", probs(public, "flip").cpu().numpy())
    print(json.dumps(result), flush=True)
    with open(f"{a.out}/{a.name}.json", "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
