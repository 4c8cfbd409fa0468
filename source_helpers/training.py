"""Reference training recipes (used by the benchmark and the tests; the notebook has its own).

Preprocessing is the tutorial's: momenta flattened to (N, 20) and divided by the mean outgoing
gluon pT of the training data; target = log(|M|^2) minus its training mean.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from .bayes import INIT_LOGSIG2, AmpNet, neg_log_gauss


@dataclasses.dataclass
class Preprocessed:
    """Tensors of one split: x (N, 20) float32, y (N,) float32 (shifted log-amplitude)."""

    x: torch.Tensor
    y: torch.Tensor


def preprocess(splits: dict, device="cpu") -> dict[str, Preprocessed]:
    """splits: {name: (dat (N, 5, 4), amp (N,))} with a "trn" entry that sets the scales."""
    dat, amp = splits["trn"]
    gpt = float(np.mean(np.hypot(dat[:, 4, 1], dat[:, 4, 2])))
    shift = float(np.mean(np.log(amp)))
    out = {}
    for name, (d, a) in splits.items():
        x = torch.tensor(d.reshape(len(d), -1) / gpt, dtype=torch.float32, device=device)
        y = torch.tensor(np.log(a) - shift, dtype=torch.float32, device=device)
        out[name] = Preprocessed(x, y)
    return out


class ItemDataset(Dataset):
    """The seed's dataset: one event per __getitem__."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]


def item_loader(x, y, batch_size, shuffle):
    """The seed's loader: the default collate stacks batch_size single items."""
    return DataLoader(ItemDataset(x, y), batch_size=batch_size, shuffle=shuffle)


class BatchIndices:
    """Sampler of whole batches: tensors of indices (a random permutation per epoch, or in order)."""

    def __init__(self, n_events: int, batch_size: int, shuffle: bool, device="cpu"):
        self.n_events, self.batch_size, self.shuffle, self.device = n_events, batch_size, shuffle, device

    def __iter__(self):
        if self.shuffle:
            order = torch.randperm(self.n_events, device=self.device)
        else:
            order = torch.arange(self.n_events, device=self.device)
        return iter(order.split(self.batch_size))

    def __len__(self):
        return -(-self.n_events // self.batch_size)


def batch_loader(x, y, batch_size, shuffle):
    """Whole batches per __getitem__ call (one indexing operation, no per-item overhead)."""
    return DataLoader(ItemDataset(x, y), batch_size=None, sampler=BatchIndices(len(y), batch_size, shuffle, x.device))


@dataclasses.dataclass
class Recipe:
    name: str
    hidden: int = 64
    n_hidden: int = 2
    epochs: int = 300
    batch_size: int = 1024
    lr: float = 3e-3
    schedule: str = "onecycle"  # or "constant"
    per_item_loader: bool = False
    activation: str = "relu"
    eval_batch_size: int = 8192
    eval_train: bool = False  # re-evaluate the training loss after every epoch (else: running mean)
    init_logsig2: float = INIT_LOGSIG2  # initial log-variance of the weights
    fused_adam: bool = True  # one fused update of all parameters per step (torch.optim.Adam(fused=True))


#: The seed tutorial's recipe: 20 -> 50 -> 50 -> 50 -> 2, Adam at 5e-4, batches of 128 from a
#: per-item DataLoader, 500 epochs, train and validation passes at batch 64 after every epoch.
#: The seed leaves the initial log-variance to the student; -9 is the usual choice of the Heidelberg
#: BNN codes the seed follows.
SEED_RECIPE = Recipe("seed", hidden=50, epochs=500, batch_size=128, lr=5e-4, schedule="constant",
                     per_item_loader=True, eval_batch_size=64, eval_train=True, init_logsig2=-9.0,
                     fused_adam=False)


def train(recipe: Recipe, data: dict[str, Preprocessed], seed: int = 0, log_every: int = 0):
    """Train a fresh `AmpNet` with ``recipe``; returns (model, history, seconds)."""
    torch.manual_seed(seed)
    device = data["trn"].x.device
    act = {"relu": torch.nn.ReLU, "silu": torch.nn.SiLU, "gelu": torch.nn.GELU}[recipe.activation]
    model = AmpNet(20, recipe.hidden, 2, training_size=len(data["trn"].y), n_hidden=recipe.n_hidden,
                   activation=act, init_logsig2=recipe.init_logsig2).to(device)
    make_loader = item_loader if recipe.per_item_loader else batch_loader
    trn = make_loader(data["trn"].x, data["trn"].y, recipe.batch_size, shuffle=True)
    opt = torch.optim.Adam(model.parameters(), lr=recipe.lr, fused=recipe.fused_adam)
    sched = None
    if recipe.schedule == "onecycle":
        # stepped once per epoch, as in the notebook
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=recipe.lr, total_steps=recipe.epochs, pct_start=0.1)
    evals = {split: make_loader(data[split].x, data[split].y, recipe.eval_batch_size, shuffle=False)
             for split in (("trn", "val") if recipe.eval_train else ("val",))}
    history = {"trn_loss": [], "val_loss": []}
    t0 = time.perf_counter()
    for epoch in range(recipe.epochs):
        model.train()
        total = torch.zeros((), device=device)
        for x, y in trn:
            loss = neg_log_gauss(model(x), y) + model.KL()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach()
        if sched is not None:
            sched.step()
        if not recipe.eval_train:
            history["trn_loss"].append(total / len(trn))
        for split, loader in evals.items():
            history[f"{split}_loss"].append(_evaluate(model, loader))
        if log_every and (epoch % log_every == 0 or epoch == recipe.epochs - 1):
            print(f"  {recipe.name} epoch {epoch + 1}: train {float(history['trn_loss'][-1]):.4f} "
                  f"val {float(history['val_loss'][-1]):.4f} [{time.perf_counter() - t0:.0f} s]", flush=True)
    seconds = time.perf_counter() - t0
    history = {k: [float(v) for v in vals] for k, vals in history.items()}
    return model, history, seconds


@torch.no_grad()
def _evaluate(model, loader) -> torch.Tensor:
    """Mean loss per event (NLL + KL) over a loader, as a tensor (no host sync)."""
    model.eval()
    total, count = 0.0, 0
    for x, y in loader:
        total = total + neg_log_gauss(model(x), y) * len(y)
        count += len(y)
    return total / count + model.KL()
