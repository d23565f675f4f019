"""The PyTorch peer of fer4j's CNN benchmark: fernet9 (the network fer4j ships), built layer for layer as
fer-pytorch's Networks builds fer-cnn's Architecture, trained with the same batch size, optimizer, loss and random 44x44 crops and
mirrors, on the same faces, with the same number of CPU threads.

Usage: torch_fernet9.py FACES.u8 COUNT THREADS BATCH WARMUP TIMED EXPECTED_PARAMETERS
Prints "parameters N", "train_images_per_second X" and "infer_images_per_second Y".
"""
import sys
import time

import numpy as np
import torch
from torch import nn


def fernet9(classes=7):
    layers, channels = [], 1
    for stage in ([32], [64, 64], [128, 128], [256, 256]):
        for width in stage:
            layers += [nn.Conv2d(channels, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
            channels = width
        layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
    layers += [nn.Flatten(), nn.Dropout(0.5), nn.Linear(256 * 3 * 3, 256), nn.ReLU(), nn.Dropout(0.5),
               nn.Linear(256, classes)]
    return nn.Sequential(*layers)


def main():
    path, count, threads, batch, warmup, timed, expected = sys.argv[1], *map(int, sys.argv[2:8])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    faces = torch.from_numpy(np.fromfile(path, dtype=np.uint8).reshape(count, 1, 48, 48).copy())
    model = fernet9()
    parameters = sum(p.numel() for p in model.parameters())
    print("parameters", parameters, flush=True)
    if parameters != expected:
        sys.exit(f"the PyTorch network has {parameters} parameters, fer4j's {expected}: not the same network")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    labels = torch.randint(0, 7, (count,))
    generator = torch.Generator().manual_seed(1)
    model.train()
    start = None
    steps = warmup + timed
    for step in range(steps):
        if step == warmup:
            start = time.perf_counter()
        rows = torch.randint(0, count, (batch,), generator=generator)
        dx, dy = torch.randint(0, 5, (2,), generator=generator).tolist()
        x = faces[rows, :, dy:dy + 44, dx:dx + 44].float().div(255).sub(0.5).div(0.25)
        if torch.rand(1, generator=generator).item() < 0.5:
            x = x.flip(3)
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), labels[rows]).backward()
        optimizer.step()
    if steps:
        print("train_images_per_second %.1f" % (timed * batch / (time.perf_counter() - start)), flush=True)
    model.eval()
    with torch.no_grad():
        x = faces[:, :, 2:46, 2:46].float().div(255).sub(0.5).div(0.25)
        model(x[:256])
        start = time.perf_counter()
        for s in range(0, count, 256):
            model(x[s:s + 256]).softmax(1)
        print("infer_images_per_second %.1f" % (count / (time.perf_counter() - start)), flush=True)
        # One face per call on one thread, as a photo or a webcam frame arrives: the best of three rounds of 400.
        torch.set_num_threads(1)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for i in range(400):
                model(x[i:i + 1]).softmax(1)
            best = min(best, time.perf_counter() - start)
        print("infer_single_images_per_second %.1f" % (400 / best), flush=True)


if __name__ == "__main__":
    main()
