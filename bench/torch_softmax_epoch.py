"""The PyTorch peer of fer4j's softmax SGD epoch: same standardized matrix, same batch size, one CPU thread.

Usage: torch_softmax_epoch.py X.f32 Y.i64 ROWS COLS WARMUP TIMED
Prints one line per epoch and finally "seconds_per_epoch S" (the median of the timed epochs).
"""
import statistics
import sys
import time

import numpy as np
import torch


def main():
    xf, yf, rows, cols, warmup, timed = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
    torch.set_num_threads(1)
    torch.manual_seed(1)
    x = torch.from_numpy(np.fromfile(xf, dtype="<f4").reshape(rows, cols))
    y = torch.from_numpy(np.fromfile(yf, dtype="<i8"))
    model = torch.nn.Linear(cols, 7)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    times = []
    for epoch in range(warmup + timed):
        start = time.perf_counter()
        order = torch.randperm(rows, generator=generator)
        for b in range(0, rows, 100):
            rows_b = order[b:b + 100]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[rows_b]), y[rows_b])
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        print(f"epoch {epoch + 1} loss {loss.item():.4f} seconds {seconds:.3f}", flush=True)
        if epoch >= warmup:
            times.append(seconds)
    print(f"seconds_per_epoch {statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
