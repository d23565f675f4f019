"""fer4j's CNN architectures in PyTorch, layer for layer as fer-cnn's Architecture lists them (Architecture.nodes).

Each network is a list of steps run in order; `parameters(net)` names the learned arrays exactly as
Architecture.parameterSpecs does (conv1.weight, bn1.gamma, ..., dense2.bias), in the order DJL stores them, which is
what `fer import-torch` checks. Dropout draws its masks from the member's own generator, so that several members
trained side by side in one process keep their seeds apart.
"""
import torch
import torch.nn.functional as F
from torch import nn

# id: (style, stages, hidden units, dropout) -- the same table as fer-cnn's Architecture enum.
ARCHITECTURES = {
    "fernet9": ("plain", [[32], [64, 64], [128, 128], [256, 256]], 256, 0.5),
    "vgg10": ("plain", [[64, 64], [128, 128], [256, 256], [512, 512]], 512, 0.5),
    "resnet18": ("residual", [[64, 64], [128, 128], [256, 256], [512, 512]], 0, 0.2),
    "tiny": ("plain", [[8], [16], [32]], 0, 0.25),
    "tinyres": ("residual", [[8], [16, 16], [32]], 0, 0.25),
}
INPUT_SIDE = 44
BATCH_NORM_EPSILON = 1e-5


class SeededDropout(nn.Module):
    """Inverted dropout whose masks come from a generator the member owns (F.dropout only takes the global one)."""

    def __init__(self, rate):
        super().__init__()
        self.rate = rate
        self.generator = None

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        keep = torch.rand(x.shape, device=x.device, generator=self.generator) >= self.rate
        return x * keep.to(x.dtype) / (1 - self.rate)


class Residual(nn.Module):
    """main(x) + shortcut(x); an empty shortcut is x itself."""

    def __init__(self, main, shortcut):
        super().__init__()
        self.main = nn.Sequential(*main)
        self.shortcut = nn.Sequential(*shortcut)

    def forward(self, x):
        return self.main(x) + self.shortcut(x)


def conv(cin, cout, kernel, stride):
    return nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False)


def bn(channels):
    return nn.BatchNorm2d(channels, eps=BATCH_NORM_EPSILON)


def build(architecture, classes):
    """The network for `classes` outputs (logits), with fer4j's initial weights: weights uniform in +-1/sqrt(fan-in)
    (DJL's Xavier uniform with factor IN and magnitude 1, as fer-pytorch's CnnTrainer sets it, which is also PyTorch's
    default for convolutions), biases 0, batch norms at the identity."""
    if architecture not in ARCHITECTURES:
        raise SystemExit(f"unknown architecture '{architecture}' (expected one of {sorted(ARCHITECTURES)})")
    style, stages, hidden, dropout = ARCHITECTURES[architecture]
    layers = []
    channels = 1
    side = INPUT_SIDE
    if style == "plain":
        for stage in stages:
            for width in stage:
                layers += [conv(channels, width, 3, 1), bn(width), nn.ReLU(inplace=True)]
                channels = width
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
            side = (side + 1) // 2
    else:
        stem = stages[0][0]
        layers += [conv(1, stem, 3, 1), bn(stem), nn.ReLU(inplace=True)]
        channels = stem
        for s, stage in enumerate(stages):
            for b, width in enumerate(stage):
                stride = 2 if s > 0 and b == 0 else 1
                main = [conv(channels, width, 3, stride), bn(width), nn.ReLU(inplace=True), conv(width, width, 3, 1), bn(width)]
                shortcut = [] if stride == 1 and channels == width else [conv(channels, width, 1, stride), bn(width)]
                layers += [Residual(main, shortcut), nn.ReLU(inplace=True)]
                channels = width
        layers.append(nn.AdaptiveAvgPool2d(1))
        side = 1
    layers.append(nn.Flatten())
    features = channels * side * side
    if hidden > 0:
        layers += [SeededDropout(dropout), nn.Linear(features, hidden), nn.ReLU(inplace=True)]
        features = hidden
    layers += [SeededDropout(dropout), nn.Linear(features, classes)]
    net = nn.Sequential(*layers)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.uniform_(-(1 / fan_in) ** 0.5, (1 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.zero_()
    return net


def set_generator(net, generator):
    for m in net.modules():
        if isinstance(m, SeededDropout):
            m.generator = generator


def _walk(module):
    """The layers in the order they run, residual blocks opened (main path, then shortcut)."""
    for m in module.children():
        if isinstance(m, (nn.Sequential, Residual)):
            yield from _walk(m)
        else:
            yield m


def parameters(net):
    """[(name, tensor)] in fer4j's order and names (Architecture.parameterSpecs), running statistics included."""
    out = []
    counts = {"conv": 0, "bn": 0, "dense": 0}
    for m in _walk(net):
        if isinstance(m, nn.Conv2d):
            counts["conv"] += 1
            out.append((f"conv{counts['conv']}.weight", m.weight))
        elif isinstance(m, nn.BatchNorm2d):
            counts["bn"] += 1
            k = counts["bn"]
            out += [(f"bn{k}.gamma", m.weight), (f"bn{k}.beta", m.bias),
                    (f"bn{k}.running_mean", m.running_mean), (f"bn{k}.running_var", m.running_var)]
        elif isinstance(m, nn.Linear):
            counts["dense"] += 1
            k = counts["dense"]
            out += [(f"dense{k}.weight", m.weight), (f"dense{k}.bias", m.bias)]
    return out


def weight_decay_groups(net, decay):
    """fer4j's MomentumSgd decays multi-dimensional weights only, not biases or batch-norm scale and shift."""
    decayed = [p for p in net.parameters() if p.dim() > 1]
    plain = [p for p in net.parameters() if p.dim() <= 1]
    return [{"params": decayed, "weight_decay": decay}, {"params": plain, "weight_decay": 0.0}]
