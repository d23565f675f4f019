"""FER2013 (and FER+) for the trainer, read the way fer4j reads them.

Sources: the original fer2013.csv or .csv.gz, or the packed parts (part-K-of-N.npz with X, y, u, first_row, as in
../shared/data/fer2013-packed/), given in any order; the parts must cover every row once. Optional FER+ labels
(fer2013new.csv, row-aligned) give the ferplus task: eight classes, faces kept only where FER+'s majority rule finds a
class (FerPlusLabels in fer-core), and the taggers' vote shares for soft targets.
"""
import csv
import gzip
import hashlib
import io
import os
import re

import numpy as np

EMOTIONS = ["Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"]
FERPLUS = ["Neutral", "Happy", "Surprise", "Sad", "Angry", "Disgust", "Fear", "Contempt"]
USAGE = {"Training": 0, "PublicTest": 1, "PrivateTest": 2}
SPLIT_NAMES = ["Training", "PublicTest", "PrivateTest"]
FERPLUS_HEADER = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF"


class DataError(SystemExit):
    """Bad input: the message names the file and the reason; exit code 2 as fer4j's commands."""

    def __init__(self, message):
        super().__init__(2)
        self.message = message

    def __str__(self):
        return self.message


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Faces:
    """N faces: X (N, 2304) uint8, y (N,) FER2013 emotion, u (N,) 0/1/2, plus where they came from."""

    def __init__(self, X, y, u, files):
        self.X, self.y, self.u, self.files = X, y, u, files

    def content_sha256(self):
        """SHA-256 of the pixels, then the labels, then the usages, as uint8 arrays: the same faces give the same
        checksum whatever file they were read from."""
        h = hashlib.sha256()
        for a in (self.X, self.y, self.u):
            h.update(np.ascontiguousarray(a, dtype=np.uint8).tobytes())
        return h.hexdigest()


def read(paths, partial=False):
    """The faces of one csv, or of the packed parts (all of them, unless `partial`: smoke tests on some parts)."""
    if len(paths) == 1 and not paths[0].endswith(".npz"):
        return _read_csv(paths[0])
    if not all(p.endswith(".npz") for p in paths):
        raise DataError(f"{paths}: give one fer2013.csv[.gz] or the .npz parts, not both")
    return _read_parts(paths, partial)


def _read_csv(path):
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file")
    opener = gzip.open if path.endswith(".gz") else open
    X, y, u = [], [], []
    with opener(path, "rt", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header] != ["emotion", "pixels", "Usage"]:
            raise DataError(f"{path}:1: expected the header 'emotion,pixels,Usage'")
        for line, row in enumerate(reader, start=2):
            if len(row) != 3:
                raise DataError(f"{path}:{line}: expected 3 fields, found {len(row)}")
            pixels = np.array(row[1].split(), dtype=np.int64)
            if pixels.size != 2304 or pixels.min() < 0 or pixels.max() > 255:
                raise DataError(f"{path}:{line}: expected 2304 pixels 0-255, found {pixels.size}")
            if row[2].strip() not in USAGE or not row[0].strip().isdigit() or int(row[0]) > 6:
                raise DataError(f"{path}:{line}: bad emotion '{row[0]}' or usage '{row[2]}'")
            X.append(pixels.astype(np.uint8))
            y.append(int(row[0]))
            u.append(USAGE[row[2].strip()])
    return Faces(np.stack(X), np.array(y, np.uint8), np.array(u, np.uint8),
                 [{"name": os.path.basename(path), "sha256": sha256_file(path)}])


def _read_parts(paths, partial=False):
    parts = []
    for p in paths:
        m = re.search(r"part-(\d+)-of-(\d+)\.npz$", p)
        if not m or not os.path.isfile(p):
            raise DataError(f"{p}: expected an existing part-K-of-N.npz")
        with np.load(p) as d:
            for key in ("X", "y", "u", "first_row"):
                if key not in d:
                    raise DataError(f"{p}: no array '{key}'")
            parts.append((int(d["first_row"][0]), d["X"], d["y"], d["u"], p, int(m.group(1)), int(m.group(2))))
    parts.sort()
    total = {n for *_, n in parts}
    if len(total) != 1 or (len(parts) != total.pop() and not partial):
        raise DataError(f"{paths}: the parts do not make one whole (give every part-K-of-N.npz once)")
    row = parts[0][0] if partial else 0
    for first, X, y, u, p, _, _ in parts:
        if first != row or X.shape[1:] != (2304,) or X.dtype != np.uint8 or len(y) != len(X) or len(u) != len(X):
            raise DataError(f"{p}: starts at row {first}, expected {row}, or its arrays are not (n, 2304) uint8 / (n,)")
        row += len(X)
    return Faces(np.concatenate([x[1] for x in parts]), np.concatenate([x[2] for x in parts]).astype(np.uint8),
                 np.concatenate([x[3] for x in parts]).astype(np.uint8),
                 [{"name": os.path.basename(x[4]), "sha256": sha256_file(x[4])} for x in parts])


def ferplus(path, faces):
    """FER+ for the faces, as fer-core's FerPlusLabels.apply: (kept row indices, majority class 0-7, vote shares (n, 8))."""
    votes, rows = [], 0
    with open(path, newline="") as f:
        header = f.readline().strip()
        if header != FERPLUS_HEADER:
            raise DataError(f"{path}:1: expected the FER+ header '{FERPLUS_HEADER}'")
        kept, labels, shares = [], [], []
        for line_no, line in enumerate(f, start=2):
            if not line.strip():
                continue
            fields = line.rstrip("\n").split(",")
            if len(fields) != 12:
                raise DataError(f"{path}:{line_no}: expected 12 fields, found {len(fields)}")
            if rows >= len(faces.u) or SPLIT_NAMES[faces.u[rows]] != fields[0].strip():
                raise DataError(f"{path}:{line_no}: not row-aligned with the faces (Usage '{fields[0]}')")
            v = [int(x) for x in fields[2:]]
            label = _majority(v)
            if fields[1].strip() and label >= 0:
                kept.append(rows)
                labels.append(label)
                s = np.array(v[:8], np.float32)
                shares.append(s / s.sum())
            rows += 1
    if rows != len(faces.u):
        raise DataError(f"{path}: has {rows} rows, the faces {len(faces.u)}")
    return np.array(kept), np.array(labels, np.int64), np.stack(shares)


def _majority(votes):
    """FER+'s majority mode (FerPlusLabels.majority): single votes dropped, then more than half; -1 none, -2 unknown/NF."""
    kept = [v if v > 1 else 0 for v in votes]
    total = sum(kept)
    best = max(range(len(kept)), key=lambda c: (kept[c], -c))
    if total == 0 or 2 * kept[best] <= total:
        return -1
    return best if best < 8 else -2
