"""The trainer's output, which `fer import-torch` reads into a fer4j model file.

A run directory per member holds (each written to a temporary name, then renamed; run.json last, so a directory
without run.json is an unfinished run that the import refuses):
  weights.safetensors  the learned arrays in fer4j's order and names (nets.parameters), F16 or F32
  probe.safetensors    'faces' U8 (P, 48, 48) and 'probabilities' F32 (P, classes): the trainer's own fp32
                       probabilities for those faces (centre crop, no test-time views), which the import must reproduce
  run.json             architecture, task, classes, normalisation, seed, command, data checksums, git commit,
                       settings, per-epoch history, and the metrics of the kept epoch
safetensors is written by hand (an 8-byte little-endian header length, a JSON header, the data): no package needed.
"""
import json
import os
import struct

import numpy as np

DTYPES = {np.dtype(np.float16): "F16", np.dtype(np.float32): "F32", np.dtype(np.uint8): "U8"}
FORMAT = "fer4j-torch-run"
FORMAT_VERSION = 1


def write_safetensors(path, arrays, metadata=None):
    """arrays: [(name, numpy array)] in order; the header lists them in that order, the data follows in that order."""
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name, a in arrays:
        a = np.ascontiguousarray(a)
        data = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    """{name: numpy array} (the test and --teacher-runs read the trainer's own files back)."""
    kinds = {"F16": np.float16, "F32": np.float32, "U8": np.uint8}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        a, b = h["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=np.dtype(kinds[h["dtype"]]).newbyteorder("<")).reshape(h["shape"])
    return out


def write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
