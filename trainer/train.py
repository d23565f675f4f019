#!/usr/bin/env python3
"""Trains fer4j's CNNs with PyTorch, on a GPU when there is one: one command per run, several members side by side.

The recipe and the honesty are fer4j's (`fer train --model cnn`, fer-pytorch's CnnTrainer and fer-cnn's CnnConfig):
44x44 views of the 48x48 faces normalised with the Training mean and std, cross-entropy with label smoothing 0.1,
SGD with Nesterov momentum 0.9 and weight decay 5e-4 on weights (not biases or batch norm), batch 64, a linear warm-up
of one epoch to 0.01 then a cosine to 0 at the last epoch. The epoch is chosen on PublicTest (its accuracy, the
centre crop); PrivateTest is scored once, for the kept epoch. On CUDA: data and views on the GPU, bf16 autocast,
channels-last; evaluation always in fp32 (TF32 off), as fer4j runs the network.

Each member writes OUT/NAME/{weights.safetensors, probe.safetensors, run.json} (see export.py); `fer import-torch
OUT/NAME --out NAME.fer` makes a fer4j model of it. See trainer/README.md.

Examples:
  python3 trainer/train.py --data ../shared/data/fer2013.csv.gz --out runs --device cpu --epochs 1 --limit 512
  python3 trainer/train.py --data parts/part-*.npz --out runs --member 'name=f9s5 arch=fernet9 seed=5 epochs=80' \
      --member 'name=res1 arch=resnet18 seed=1 epochs=100 augment=shift:3,rotate:10,scale:0.1,flip,erase:0.25'
"""
import argparse
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import threading
import time
import traceback

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
import export  # noqa: E402
import nets  # noqa: E402
import views  # noqa: E402

SIDE = nets.INPUT_SIDE
MARGIN = (48 - SIDE) // 2
# The member settings, with the command line's defaults; `--member 'key=value ...'` overrides them per member.
MEMBER_KEYS = ["name", "arch", "seed", "epochs", "batch", "lr", "warmup", "momentum", "l2", "label_smoothing", "augment",
               "task", "soft_targets", "tta"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Augmentation keys (--augment): " + "; ".join(f"{k}: {v}" for k, v in views.HELP.items()))
    p.add_argument("--data", nargs="+", required=True, help="fer2013.csv[.gz], or every part-K-of-N.npz")
    p.add_argument("--ferplus", help="fer2013new.csv: FER+ labels, needed by --task ferplus")
    p.add_argument("--out", required=True, help="where each member's folder is written")
    p.add_argument("--member", action="append", default=[],
                   help="one member: 'key=value ...' of " + ", ".join(MEMBER_KEYS) + " (others as below)")
    p.add_argument("--name", default="member")
    p.add_argument("--arch", default="fernet9", help="one of " + ", ".join(nets.ARCHITECTURES))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--warmup", type=float, default=None, help="epochs of warm-up; default 1 (0.25 for a one-epoch run)")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--l2", type=float, default=5e-4)
    p.add_argument("--label-smoothing", dest="label_smoothing", type=float, default=0.1)
    p.add_argument("--augment", default=None, help="'none' or key:value,... (default shift:3,rotate:10,scale:0.1,flip)")
    p.add_argument("--task", default="emotions", choices=["emotions", "ferplus"])
    p.add_argument("--soft-targets", dest="soft_targets", action="store_true",
                   help="with --task ferplus: learn the taggers' vote shares instead of the majority class")
    p.add_argument("--tta", default="flip", choices=["none", "flip", "crops"],
                   help="the test-time views the model file will name as its default (all are scored)")
    p.add_argument("--device", default="auto", help="auto (cuda when present), cuda or cpu")
    p.add_argument("--limit", type=int, default=0, help="use only the first N Training faces and N/4 of each test split")
    p.add_argument("--probe", type=int, default=256,
                   help="faces (PrivateTest first) whose probabilities go into probe.safetensors for the import to check")
    p.add_argument("--score-views", dest="score_views", default="none,flip,crops", type=lambda v: v.split(","),
                   help="the test-time views the kept network is scored with (default none,flip,crops)")
    p.add_argument("--export-dtype", dest="export_dtype", default="fp16", choices=["fp16", "fp32"],
                   help="the weights' precision in the output; fp16 rounds the kept network before it is scored")
    p.add_argument("--deadline", type=float, default=0,
                   help="seconds this command may take: members shorten their schedules (once, after epoch 2) or stop "
                        "early to finish in time, and say so in run.json")
    p.add_argument("--partial", action="store_true",
                   help="accept some of the packed parts (smoke tests and speed probes only: run.json says so)")
    p.add_argument("--sequential", action="store_true", help="on CUDA, run members one after another, not side by side")
    p.add_argument("--git-commit", dest="git_commit", default=None, help="recorded in run.json (default: git rev-parse HEAD)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads for torch (0: torch's default)")
    a = p.parse_args(argv)
    if not a.score_views or any(v not in ("none", "flip", "crops") for v in a.score_views):
        p.error("--score-views: a comma list of none, flip and crops")
    return a


def member_settings(args):
    base = {k: getattr(args, k) for k in MEMBER_KEYS}
    specs = args.member or [""]
    out = []
    for spec in specs:
        s = dict(base)
        for item in shlex.split(spec):
            key, eq, value = item.partition("=")
            key = key.replace("-", "_")
            if not eq or key not in MEMBER_KEYS:
                raise data.DataError(f"--member '{spec}': '{item}' is not key=value of {', '.join(MEMBER_KEYS)}")
            s[key] = value
        try:
            for key, kind in (("seed", int), ("epochs", int), ("batch", int), ("lr", float), ("momentum", float),
                              ("l2", float), ("label_smoothing", float)):
                s[key] = kind(s[key])
            s["warmup"] = float(s["warmup"]) if s["warmup"] is not None else (1.0 if s["epochs"] > 1 else 0.25)
            s["soft_targets"] = s["soft_targets"] in (True, "true", "1", "yes")
            s["augment_settings"] = views.parse(s["augment"])
        except ValueError as e:
            raise data.DataError(f"--member '{spec}': {e}")
        if s["arch"] not in nets.ARCHITECTURES:
            raise data.DataError(f"--member '{spec}': unknown architecture '{s['arch']}' (expected one of "
                                 f"{', '.join(nets.ARCHITECTURES)})")
        if s["epochs"] < 1 or s["batch"] < 2 or not 0 <= s["warmup"] < s["epochs"]:
            raise data.DataError(f"--member '{spec}': epochs >= 1, batch >= 2 and 0 <= warm-up < epochs")
        if s["soft_targets"] and s["task"] != "ferplus":
            raise data.DataError(f"--member '{spec}': soft targets are FER+ vote shares; they need task=ferplus")
        out.append(s)
    names = [s["name"] for s in out]
    if len(set(names)) != len(names):
        raise data.DataError(f"member names must differ: {names}")
    return out


class TaskData:
    """The faces of one task on the device: pixels, labels, soft targets, split indices, Training mean and std."""

    def __init__(self, faces, task, ferplus_path, limit, device):
        if task == "emotions":
            rows = np.arange(len(faces.y))
            labels = faces.y.astype(np.int64)
            shares = None
            self.classes = data.EMOTIONS
        else:
            if not ferplus_path:
                raise data.DataError("--task ferplus needs --ferplus fer2013new.csv")
            rows, labels, shares = data.ferplus(ferplus_path, faces)
            self.classes = data.FERPLUS
        usage = faces.u[rows]
        split = [np.where(usage == k)[0] for k in range(3)]
        # The probe may come from anywhere in the data, whatever --limit keeps for training and scoring.
        self.probe_order = torch.from_numpy(np.concatenate([split[2], split[1], split[0]])).to(device)
        if limit:
            split = [split[0][:limit], split[1][:max(1, limit // 4)], split[2][:max(1, limit // 4)]]
        X = faces.X[rows]
        train = X[split[0]].astype(np.float64) / 255
        # fer-pytorch's CnnTrainer.meanAndStd: over the Training faces' gray levels in 0-1, std at least 1e-3.
        self.mean = float(np.float32(train.mean()))
        self.std = float(np.float32(max(math.sqrt(max((train ** 2).mean() - train.mean() ** 2, 1e-6)), 1e-3)))
        self.X = torch.from_numpy(X).view(-1, 1, 48, 48).to(device)
        self.y = torch.from_numpy(labels).to(device)
        self.shares = torch.from_numpy(shares).to(device) if shares is not None else None
        self.split = [torch.from_numpy(s).to(device) for s in split]
        self.counts = [len(s) for s in split]
        train_labels = labels[split[0]]
        self.class_shares = {c: float((train_labels == k).mean()) if len(train_labels) else 0.0
                             for k, c in enumerate(self.classes)}

    def normalized(self, idx):
        return (self.X[idx].float() / 255 - self.mean) / self.std


def rate(settings, step, batches):
    """LearningRate.cosine(lr).afterWarmUp(warmup) at fractional epoch step / batches of a run of `epochs` epochs."""
    epoch, epochs, warm, peak = step / batches, settings["epochs"], settings["warmup"], settings["lr"]
    if epoch < warm:
        return peak * epoch / warm
    t, T = min(epoch - warm, epochs - warm), max(1e-9, epochs - warm)
    return peak * (1 + math.cos(math.pi * t / T)) / 2


@torch.no_grad()
def probabilities(model, task, idx, tta, chunk=512):
    """fp32 probabilities averaged over fer4j's test-time views (TestTimeAugmentation): the centre crop, its mirror, or
    ten crops (centre and four corners, each mirrored)."""
    was = model.training
    model.eval()
    out = []
    offsets = [(MARGIN, MARGIN)] if tta != "crops" else [(MARGIN, MARGIN), (0, 0), (0, 2 * MARGIN), (2 * MARGIN, 0),
                                                          (2 * MARGIN, 2 * MARGIN)]
    for s in range(0, len(idx), chunk):
        x = task.normalized(idx[s:s + chunk])
        crops = []
        for oy, ox in offsets:
            c = x[:, :, oy:oy + SIDE, ox:ox + SIDE]
            crops.append(c)
            if tta != "none":
                crops.append(c.flip(3))
        p = sum(F.softmax(model(c.contiguous()).float(), 1) for c in crops) / len(crops)
        out.append(p)
    model.train(was)
    return torch.cat(out) if out else torch.zeros(0, len(task.classes), device=task.X.device)


def scores(p, labels, classes):
    """Accuracy, ACA (mean per-class recall), macro F1, per-class recall and the confusion matrix (rows: truth)."""
    k = len(classes)
    pred = p.argmax(1).cpu().numpy()
    truth = labels.cpu().numpy()
    confusion = np.zeros((k, k), np.int64)
    np.add.at(confusion, (truth, pred), 1)
    support = confusion.sum(1)
    predicted = confusion.sum(0)
    recall = [confusion[c, c] / support[c] if support[c] else 0.0 for c in range(k)]
    present = [c for c in range(k) if support[c]]
    precision = [confusion[c, c] / predicted[c] if predicted[c] else 0.0 for c in range(k)]
    f1 = [2 * precision[c] * recall[c] / (precision[c] + recall[c]) if precision[c] + recall[c] else 0.0 for c in range(k)]
    return {"faces": int(len(truth)), "accuracy": float((pred == truth).mean()) if len(truth) else float("nan"),
            "aca": float(np.mean([recall[c] for c in present])) if present else float("nan"),
            "macroF1": float(np.mean([f1[c] for c in present])) if present else float("nan"),
            "recall": {classes[c]: float(recall[c]) for c in range(k)}, "confusion": confusion.tolist()}


class Member:
    def __init__(self, settings, task, device, out, started, deadline):
        self.s = settings
        self.task = task
        self.device = device
        self.dir = os.path.join(out, settings["name"])
        self.started = started
        self.deadline = deadline
        torch.manual_seed(settings["seed"])
        self.model = nets.build(settings["arch"], len(task.classes)).to(device)
        if device.type == "cuda":
            self.model = self.model.to(memory_format=torch.channels_last)
        self.generator = torch.Generator(device=device).manual_seed(settings["seed"])
        self.rng = np.random.default_rng(settings["seed"])
        nets.set_generator(self.model, self.generator)
        self.optimizer = torch.optim.SGD(nets.weight_decay_groups(self.model, settings["l2"]), lr=settings["lr"],
                                         momentum=settings["momentum"], nesterov=True)
        self.history = []
        self.best = (-1.0, 0)
        self.best_state = None
        self.note = []
        self.error = None
        self.seconds = 0.0

    def targets(self, rows):
        """Each face's target (its label, or with soft targets its vote shares), smoothed: eps / K + (1 - eps) p."""
        k = len(self.task.classes)
        t = self.task.shares[rows] if self.s["soft_targets"] else F.one_hot(self.task.y[rows], k).float()
        eps = self.s["label_smoothing"]
        return t * (1 - eps) + eps / k

    def train(self):
        try:
            if self.device.type == "cuda":
                with torch.cuda.stream(torch.cuda.Stream(self.device)):
                    self._train()
                torch.cuda.synchronize(self.device)
            else:
                self._train()
        except Exception as e:  # a failed member must not take the others with it
            self.error = f"{type(e).__name__}: {e}"
            traceback.print_exc()

    def _train(self):
        s, task = self.s, self.task
        train_idx = task.split[0]
        batch = s["batch"]
        batches = len(train_idx) // batch
        if batches < 1:
            raise data.DataError(f"{s['name']}: {len(train_idx)} Training faces, fewer than one batch of {batch}")
        cuda = self.device.type == "cuda"
        aug = s["augment_settings"]
        step = 0
        epoch = 0
        t0 = time.time()
        while epoch < s["epochs"]:
            epoch += 1
            e0 = time.time()
            order = train_idx[torch.randperm(len(train_idx), device=self.device, generator=self.generator)]
            loss_sum = torch.zeros((), device=self.device)
            lr = 0.0
            for b in range(batches):
                rows = order[b * batch:(b + 1) * batch]
                x = task.X[rows].float() / 255
                x = views.geometric(x, aug, self.generator, SIDE)
                x = views.photometric(x, aug, self.generator)
                x = (x - task.mean) / task.std
                if aug["erase"] > 0:
                    x = views.erase(x, aug["erase"], self.generator)
                t = self.targets(rows)
                x, t = views.mix(x, t, aug, self.generator, self.rng)
                lr = rate(s, step, batches)
                for g in self.optimizer.param_groups:
                    g["lr"] = lr
                if cuda:
                    x = x.contiguous(memory_format=torch.channels_last)
                    with torch.autocast("cuda", dtype=torch.bfloat16):
                        logits = self.model(x)
                else:
                    logits = self.model(x)
                loss = -(F.log_softmax(logits.float(), 1) * t).sum(1).mean()
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                self.optimizer.step()
                loss_sum += loss.detach()
                step += 1
            p = probabilities(self.model, task, task.split[1], "none")
            accuracy = scores(p, task.y[task.split[1]], task.classes)["accuracy"] if len(task.split[1]) else float("nan")
            seconds = time.time() - e0
            self.history.append({"epoch": epoch, "trainLoss": round(float(loss_sum) / batches, 5),
                                 "validationAccuracy": round(accuracy, 5), "learningRate": lr, "seconds": round(seconds, 2)})
            # EpochSelection.bestValidationAccuracy: the first epoch, then any strictly better one.
            if self.best_state is None or accuracy > self.best[0]:
                self.best = (accuracy, epoch)
                self.best_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
            print(f"{s['name']}: epoch {epoch}/{s['epochs']} loss {float(loss_sum) / batches:.4f} PublicTest "
                  f"{accuracy:.4f} ({seconds:.1f} s)", flush=True)
            if self.deadline and epoch < s["epochs"]:
                self._fit_deadline(epoch, time.time() - t0)
        self.seconds = time.time() - t0

    def _fit_deadline(self, epoch, spent):
        """Shortens the schedule once (after epoch 2) to what fits before the deadline, or stops when even one more
        epoch would not fit; the rest of the run (scoring, writing) is given a reserve."""
        per_epoch = spent / epoch
        reserve = 30 + 2 * per_epoch
        left = self.deadline - (time.time() - self.started) - reserve
        fits = int(left // per_epoch)
        if fits < 1:
            self.note.append(f"stopped after epoch {epoch} of {self.s['epochs']} at the deadline")
            self.s["epochs"] = epoch
        elif epoch == 2 and epoch + fits < self.s["epochs"]:
            self.note.append(f"schedule shortened from {self.s['epochs']} to {epoch + fits} epochs after epoch 2 to fit "
                             f"the deadline ({per_epoch:.1f} s per epoch)")
            self.s["epochs"] = epoch + fits

    def finish(self, args, faces, command):
        s, task = self.s, self.task
        os.makedirs(self.dir, exist_ok=True)
        self.model.load_state_dict(self.best_state)
        if args.export_dtype == "fp16":
            with torch.no_grad():
                for t in list(self.model.parameters()) + list(self.model.buffers()):
                    if t.is_floating_point():
                        t.copy_(t.half().float())
        self.model = self.model.to(memory_format=torch.contiguous_format)
        metrics = {}
        for split, name in ((1, "PublicTest"), (2, "PrivateTest")):
            idx = task.split[split]
            if len(idx):
                metrics[name] = {tta: scores(probabilities(self.model, task, idx, tta), task.y[idx], task.classes)
                                 for tta in args.score_views}
        # PrivateTest faces first; a small data set's probe is filled up from PublicTest, then Training.
        probe_idx = task.probe_order[:args.probe]
        probe_p = probabilities(self.model, task, probe_idx, "none").cpu().numpy().astype(np.float32)
        dtype = np.float16 if args.export_dtype == "fp16" else np.float32
        arrays = [(name, t.detach().cpu().numpy().astype(dtype)) for name, t in nets.parameters(self.model)]
        export.write_safetensors(os.path.join(self.dir, "weights.safetensors"), arrays,
                                 {"format": export.FORMAT, "architecture": s["arch"]})
        export.write_safetensors(os.path.join(self.dir, "probe.safetensors"),
                                 [("faces", task.X[probe_idx].view(-1, 48, 48).cpu().numpy()), ("probabilities", probe_p)])
        settings = {k: s[k] for k in ("arch", "seed", "epochs", "batch", "lr", "warmup", "momentum", "l2",
                                      "label_smoothing", "task", "soft_targets")}
        settings["epochsPlanned"] = self.planned_epochs
        settings["augmentation"] = s["augment_settings"]
        settings["optimizer"] = "sgd-nesterov (weight decay on weights only)"
        settings["schedule"] = "linear warm-up, then cosine to 0"
        run = {
            "format": export.FORMAT, "formatVersion": export.FORMAT_VERSION,
            "name": s["name"], "architecture": s["arch"], "task": s["task"], "classNames": task.classes,
            "inputSide": SIDE, "normalization": {"mean": task.mean, "std": task.std},
            "testTimeAugmentation": s["tta"], "weightsDtype": args.export_dtype,
            "seed": s["seed"], "command": command, "gitCommit": git_commit(args),
            "data": {"files": faces.files, "contentSha256": faces.content_sha256(),
                     "ferplus": {"name": os.path.basename(args.ferplus), "sha256": data.sha256_file(args.ferplus)}
                     if s["task"] == "ferplus" else None,
                     "limit": args.limit, "partial": args.partial, "trainingFaces": task.counts[0], "validationFaces": task.counts[1],
                     "testFaces": task.counts[2], "classShares": task.class_shares},
            "settings": settings, "bestEpoch": self.best[1], "seconds": round(self.seconds, 1),
            "trainFacesPerSecond": round(task.counts[0] * len(self.history) / max(self.seconds, 1e-9), 1),
            "notes": self.note, "history": self.history, "metrics": metrics,
            "environment": {"torch": torch.__version__, "python": platform.python_version(), "device": device_name(self.device)},
            "probeFaces": int(len(probe_idx)),
        }
        export.write_json(os.path.join(self.dir, "run.json"), run)
        return run


def device_name(device):
    return torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu"


def git_commit(args):
    if args.git_commit:
        return args.git_commit
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=os.path.dirname(os.path.abspath(__file__)),
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv=None):
    started = time.time()
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    command = "python3 trainer/train.py " + " ".join(shlex.quote(a) for a in argv)
    try:
        members_settings = member_settings(args)
        if args.device == "auto":
            device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        else:
            device = torch.device(args.device)
            if device.type == "cuda" and not torch.cuda.is_available():
                raise data.DataError("--device cuda: no CUDA device here")
        if args.threads:
            torch.set_num_threads(args.threads)
        # fp32 is fp32: evaluation and the probe must be what fer4j computes, so TF32 is off (training uses bf16 autocast).
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.benchmark = True
        faces = data.read(args.data, args.partial)
    except data.DataError as e:
        print(f"train.py: {e}", file=sys.stderr)
        return 2
    tasks = {}
    members = []
    for s in members_settings:
        if s["task"] not in tasks:
            try:
                tasks[s["task"]] = TaskData(faces, s["task"], args.ferplus, args.limit, device)
            except data.DataError as e:
                print(f"train.py: {e}", file=sys.stderr)
                return 2
        m = Member(s, tasks[s["task"]], device, args.out, started, args.deadline)
        m.planned_epochs = s["epochs"]
        members.append(m)
    print(f"train.py: {len(members)} member(s) on {device_name(device)} (torch {torch.__version__}); "
          f"{tasks[members[0].s['task']].counts} faces", flush=True)
    if device.type == "cuda" and len(members) > 1 and not args.sequential:
        threads = [threading.Thread(target=m.train, name=m.s["name"]) for m in members]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for m in members:
            m.train()
    failed = 0
    for m in members:
        if m.error or m.best_state is None:
            failed += 1
            print(f"train.py: {m.s['name']} failed: {m.error}", file=sys.stderr)
            continue
        run = m.finish(args, faces, command)
        private = run["metrics"].get("PrivateTest", {})
        print(json.dumps({"name": run["name"], "architecture": run["architecture"], "bestEpoch": run["bestEpoch"],
                          "epochs": run["settings"]["epochs"], "seconds": run["seconds"],
                          "facesPerSecond": run["trainFacesPerSecond"],
                          "public": {k: round(v["accuracy"], 4) for k, v in run["metrics"].get("PublicTest", {}).items()},
                          "private": {k: round(v["accuracy"], 4) for k, v in private.items()},
                          "privateAca": {k: round(v["aca"], 4) for k, v in private.items()}, "notes": run["notes"]}),
              flush=True)
    print(f"train.py: done in {time.time() - started:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
