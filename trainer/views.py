"""Random views of faces for training, on whatever device holds them, drawn from a member's own generator.

fer4j's views (Crops in fer-cnn): a side x side crop of the 48x48 face, shifted, rotated, scaled and mirrored, sampled
bilinearly with the border pixels repeated. Then, aimed at real photos rather than FER2013's own crops: gamma, contrast
and brightness changes, Gaussian blur, sensor-like noise, random erasing, and mixup or cutmix of pairs of faces.
"""
import math

import torch
import torch.nn.functional as F

SIDE = 48

# The augmentation settings and their defaults (fer4j's: shift:3,rotate:10,scale:0.1,flip; the photo ones off).
DEFAULTS = {"shift": 3.0, "rotate": 10.0, "scale": 0.1, "flip": 1.0, "gamma": 0.0, "contrast": 0.0, "brightness": 0.0,
            "blur": 0.0, "noise": 0.0, "erase": 0.0, "mixup": 0.0, "cutmix": 0.0}
HELP = {"shift": "pixels each way", "rotate": "degrees each way", "scale": "fraction each way (0.1: 90-110 %)",
        "flip": "1 mirrors half the faces, 0 none", "gamma": "log-gamma each way (0.3: gamma 0.74-1.35)",
        "contrast": "fraction each way about the face's mean", "brightness": "added each way, in 0-1 gray",
        "blur": "probability of a Gaussian blur of sigma 0.4-1.5 px", "noise": "largest std of Gaussian noise, 0-1 gray",
        "erase": "probability of erasing a rectangle (2-33 % of the crop)", "mixup": "Beta(a, a) of mixup; 0 off",
        "cutmix": "Beta(a, a) of cutmix; 0 off (with mixup too, each batch takes one of them)"}


def parse(spec):
    """'none' or a comma list of key:value (and 'flip'); unknown keys are refused."""
    out = dict(DEFAULTS)
    if spec is None:
        return out
    if spec.strip() == "none":
        return {k: 0.0 for k in DEFAULTS}
    out.update({"shift": 0.0, "rotate": 0.0, "scale": 0.0, "flip": 0.0})
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition(":")
        if key not in DEFAULTS:
            raise ValueError(f"augment: unknown '{key}' (expected {', '.join(DEFAULTS)})")
        out[key] = 1.0 if key == "flip" and not value else float(value)
    return out


def _uniform(n, m, generator, device):
    return (torch.rand(n, device=device, generator=generator) * 2 - 1) * m


def geometric(faces, a, generator, side):
    """fer4j's random view of each face: faces (N, 1, 48, 48) floats in 0-1 -> (N, 1, side, side). The output pixel
    (u, v) samples the source at R(angle) / scale (u - c_out, v - c_out) + c + (dx, dy), c = 23.5, c_out = (side - 1) / 2,
    u mirrored about the crop's centre when mirrored, as Crops.render does."""
    n, dev = faces.shape[0], faces.device
    dx, dy = _uniform(n, a["shift"], generator, dev), _uniform(n, a["shift"], generator, dev)
    angle = _uniform(n, math.radians(a["rotate"]), generator, dev)
    scale = 1 + _uniform(n, a["scale"], generator, dev)
    mirror = (torch.rand(n, device=dev, generator=generator) < 0.5 * a["flip"]).float() * -2 + 1
    c, c_out = (SIDE - 1) / 2, (side - 1) / 2
    o = torch.arange(side, device=dev, dtype=torch.float32) - c_out
    ox = o.view(1, 1, side) * mirror.view(n, 1, 1)
    oy = o.view(1, side, 1)
    cos, sin = (torch.cos(angle) / scale).view(n, 1, 1), (torch.sin(angle) / scale).view(n, 1, 1)
    sx = cos * ox - sin * oy + c + dx.view(n, 1, 1)
    sy = sin * ox + cos * oy + c + dy.view(n, 1, 1)
    # align_corners=True: -1 and 1 are the centres of the first and last pixels; border padding repeats them.
    grid = torch.stack([sx / (SIDE - 1) * 2 - 1, sy / (SIDE - 1) * 2 - 1], dim=3)
    return F.grid_sample(faces, grid, mode="bilinear", padding_mode="border", align_corners=True)


def photometric(x, a, generator):
    """Gamma, contrast and brightness, blur and noise on 0-1 gray, clamped back to 0-1."""
    n, dev = x.shape[0], x.device
    if a["gamma"] > 0:
        gamma = torch.exp(_uniform(n, a["gamma"], generator, dev)).view(n, 1, 1, 1)
        x = x.clamp_min(1e-6) ** gamma
    if a["contrast"] > 0:
        mean = x.mean(dim=(1, 2, 3), keepdim=True)
        x = (x - mean) * (1 + _uniform(n, a["contrast"], generator, dev)).view(n, 1, 1, 1) + mean
    if a["brightness"] > 0:
        x = x + _uniform(n, a["brightness"], generator, dev).view(n, 1, 1, 1)
    if a["blur"] > 0:
        x = _blur(x, a["blur"], generator)
    if a["noise"] > 0:
        std = torch.rand(n, device=dev, generator=generator).view(n, 1, 1, 1) * a["noise"]
        x = x + torch.randn(x.shape, device=dev, generator=generator) * std
    return x.clamp(0, 1)


def _blur(x, p, generator):
    """With probability p, a Gaussian blur of sigma 0.4-1.5 px (a 7-tap separable kernel per face)."""
    n, dev = x.shape[0], x.device
    sigma = 0.4 + torch.rand(n, device=dev, generator=generator) * 1.1
    on = torch.rand(n, device=dev, generator=generator) < p
    t = torch.arange(-3, 4, device=dev, dtype=x.dtype)
    k = torch.exp(-(t.view(1, 7) ** 2) / (2 * sigma.view(n, 1) ** 2))
    k = k / k.sum(1, keepdim=True)
    k = torch.where(on.view(n, 1), k, (t == 0).to(x.dtype).view(1, 7).expand(n, 7))
    y = x.transpose(0, 1)  # (1, N, H, W): one group per face
    y = F.conv2d(F.pad(y, (3, 3, 0, 0), mode="replicate"), k.view(n, 1, 1, 7), groups=n)
    y = F.conv2d(F.pad(y, (0, 0, 3, 3), mode="replicate"), k.view(n, 1, 7, 1), groups=n)
    return y.transpose(0, 1)


def erase(x, p, generator):
    """Random erasing: with probability p, a rectangle of 2-33 % of the crop, aspect 0.3-3.3, set to 0 (the mean gray
    after normalisation)."""
    n, _, h, w = x.shape
    dev = x.device
    area = (torch.rand(n, device=dev, generator=generator) * 0.31 + 0.02) * h * w
    aspect = torch.exp(torch.rand(n, device=dev, generator=generator) * (math.log(3.3) - math.log(0.3)) + math.log(0.3))
    eh = torch.sqrt(area * aspect).clamp(1, h).long()
    ew = torch.sqrt(area / aspect).clamp(1, w).long()
    y0 = (torch.rand(n, device=dev, generator=generator) * (h - eh + 1).float()).long()
    x0 = (torch.rand(n, device=dev, generator=generator) * (w - ew + 1).float()).long()
    rows = torch.arange(h, device=dev).view(1, h, 1)
    cols = torch.arange(w, device=dev).view(1, 1, w)
    mask = ((rows >= y0.view(n, 1, 1)) & (rows < (y0 + eh).view(n, 1, 1))
            & (cols >= x0.view(n, 1, 1)) & (cols < (x0 + ew).view(n, 1, 1)))
    mask &= (torch.rand(n, device=dev, generator=generator) < p).view(n, 1, 1)
    return x.masked_fill(mask.unsqueeze(1), 0.0)


def mix(x, t, a, generator, rng):
    """Mixup (a blend of two faces and their targets) or cutmix (a box of one pasted into the other, targets by area);
    lam ~ Beta(alpha, alpha) from the member's numpy generator, the partner by a permutation from its torch one."""
    use = [k for k in ("mixup", "cutmix") if a[k] > 0]
    if not use:
        return x, t
    kind = use[0] if len(use) == 1 else use[int(rng.integers(2))]
    lam = float(rng.beta(a[kind], a[kind]))
    perm = torch.randperm(x.shape[0], device=x.device, generator=generator)
    if kind == "mixup":
        return lam * x + (1 - lam) * x[perm], lam * t + (1 - lam) * t[perm]
    h, w = x.shape[2], x.shape[3]
    ch, cw = int(round(h * math.sqrt(1 - lam))), int(round(w * math.sqrt(1 - lam)))
    cy, cx = int(rng.integers(h)), int(rng.integers(w))
    y0, y1, x0, x1 = max(cy - ch // 2, 0), min(cy + ch // 2, h), max(cx - cw // 2, 0), min(cx + cw // 2, w)
    x = x.clone()
    x[:, :, y0:y1, x0:x1] = x[perm][:, :, y0:y1, x0:x1]
    kept = 1 - (y1 - y0) * (x1 - x0) / (h * w)
    return x, kept * t + (1 - kept) * t[perm]
