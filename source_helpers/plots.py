"""Figures of the study of results: one function per figure, each returning the Figure.

Inputs are numpy arrays of shape (N,): amplitudes in GeV^-2, or predictions and uncertainties
in the units of the network's target (the shifted log-amplitude, so sigma = relative error).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from .metrics import pulls as _pulls


def _log_bins(*arrays, n: int = 50) -> np.ndarray:
    lo = min(float(np.min(a)) for a in arrays)
    hi = max(float(np.max(a)) for a in arrays)
    return np.logspace(math.log10(lo), math.log10(hi), n + 1)


def amplitude_histograms(amp_true: np.ndarray, amp_pred: np.ndarray) -> Figure:
    """Histograms of true and predicted |M|^2 on log axes, with their ratio below."""
    bins = _log_bins(amp_true, amp_pred)
    h_true, _ = np.histogram(amp_true, bins)
    h_pred, _ = np.histogram(amp_pred, bins)
    fig, (ax, rax) = plt.subplots(2, 1, figsize=(6.5, 5.5), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    ax.stairs(h_true, bins, lw=2, label="true")
    ax.stairs(h_pred, bins, lw=2, ls="--", label="BNN prediction")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel("events per bin")
    ax.legend()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = h_pred / h_true
        err = np.sqrt(h_pred) / h_true
    centres = np.sqrt(bins[1:] * bins[:-1])
    rax.errorbar(centres, ratio, yerr=err, fmt="o", ms=3, color="C1")
    rax.axhline(1.0, color="k", lw=1)
    rax.set_ylim(0.5, 1.5)
    rax.set_xlabel(r"$|\mathcal{M}|^2$ [GeV$^{-2}$]")
    rax.set_ylabel("pred / true")
    fig.tight_layout()
    return fig


def relative_deviation(delta: np.ndarray, amp_true: np.ndarray, n_bins: int = 10) -> Figure:
    """Delta = A_pred/A_true - 1: its histogram, and quantiles of |Delta| in bins of A_true."""
    fig, (ax, qax) = plt.subplots(1, 2, figsize=(11, 4))
    lim = max(0.05, float(np.quantile(np.abs(delta), 0.99)))
    ax.hist(delta, bins=np.linspace(-lim, lim, 81), histtype="stepfilled", alpha=0.6)
    ax.axvline(0, color="k", lw=1)
    ax.set_xlabel(r"$\Delta = A_\mathrm{pred}/A_\mathrm{true} - 1$")
    ax.set_ylabel("events")
    ax.set_title(f"median $|\\Delta|$ = {np.median(np.abs(delta)):.2%}")
    edges = np.quantile(amp_true, np.linspace(0, 1, n_bins + 1))  # equal-population bins
    idx = np.clip(np.searchsorted(edges, amp_true, side="right") - 1, 0, n_bins - 1)
    centres = np.sqrt(edges[1:] * edges[:-1])
    for q, label, style in [(0.5, "median", "o-"), (0.68, "68 %", "s--"), (0.95, "95 %", "^:")]:
        vals = [np.quantile(np.abs(delta[idx == b]), q) for b in range(n_bins)]
        qax.plot(centres, vals, style, label=f"{label} quantile of $|\\Delta|$")
    qax.set_xscale("log")
    qax.set_yscale("log")
    qax.set_xlabel(r"true $|\mathcal{M}|^2$ [GeV$^{-2}$] (bins of equal population)")
    qax.set_ylabel(r"$|\Delta|$")
    qax.legend()
    fig.tight_layout()
    return fig


def uncertainties(sigma_model: np.ndarray, sigma_stoch: np.ndarray, abs_error: np.ndarray | None = None) -> Figure:
    """Histograms of sigma_model and sigma_stoch (and of the actual |error|, if given)."""
    arrays = [sigma_model, sigma_stoch] + ([abs_error] if abs_error is not None else [])
    lo = max(1e-5, min(float(np.quantile(a, 0.001)) for a in arrays))
    hi = max(float(np.max(a)) for a in arrays)
    bins = np.logspace(math.log10(lo), math.log10(hi), 60)
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.hist(sigma_model, bins, histtype="step", lw=2, label=r"$\sigma_\mathrm{model}$ (spread of sampled networks)")
    ax.hist(sigma_stoch, bins, histtype="step", lw=2, label=r"$\sigma_\mathrm{stoch}$ (predicted noise)")
    if abs_error is not None:
        ax.hist(abs_error, bins, histtype="step", lw=1.5, ls=":", color="k", label=r"actual $|\mu - y|$")
    ax.set_xscale("log")
    ax.set_xlabel(r"uncertainty on $\log|\mathcal{M}|^2$  ($\approx$ relative on $|\mathcal{M}|^2$)")
    ax.set_ylabel("events")
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def pulls(mu: np.ndarray, sigma_tot: np.ndarray, target: np.ndarray,
          label: str = r"$(\log A_\mathrm{true} - \mu) / \sigma_\mathrm{tot}$") -> Figure:
    """Pulls (y - mu)/sigma_tot with a unit Gaussian, their mean, width and the coverages."""
    p = _pulls(mu, sigma_tot, target)
    fig, ax = plt.subplots(figsize=(6.5, 4))
    bins = np.linspace(-5, 5, 81)
    ax.hist(p, bins, density=True, histtype="stepfilled", alpha=0.5, label="pulls")
    x = np.linspace(-5, 5, 400)
    ax.plot(x, np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi), "k-", label=r"$\mathcal{N}(0, 1)$")
    c68, c95 = np.mean(np.abs(p) < 1), np.mean(np.abs(p) < 2)
    ax.set_title(f"mean {np.mean(p):+.3f}, width {np.std(p):.3f}; coverage 68 %: {c68:.1%}, 95 %: {c95:.1%}",
                 fontsize=10)
    ax.set_xlabel(f"pull {label}")
    ax.set_ylabel("density")
    ax.legend()
    fig.tight_layout()
    return fig


def loss_curves(history: dict) -> Figure:
    """Total loss, NLL and KL per epoch for the training and validation data."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    parts = [("loss", "total loss (NLL + KL)"), ("nl", "negative log-likelihood"), ("kl", "KL / training events")]
    for ax, (key, title) in zip(axes, parts):
        for split, style in (("trn", "-"), ("val", "--")):
            values = history.get(f"{split}_{key}")
            if values:
                ax.plot(np.arange(1, len(values) + 1), values, style, label={"trn": "train", "val": "validation"}[split])
        ax.set_xlabel("epoch")
        ax.set_title(title, fontsize=11)
        ax.legend()
    fig.tight_layout()
    return fig


def uncertainty_vs_training_size(sizes, sigma_model, sigma_stoch, mse=None) -> Figure:
    """Mean sigma_model and sigma_stoch (and the test MSE) against the number of training events."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.plot(sizes, sigma_model, "o-", label=r"mean $\sigma_\mathrm{model}$")
    ax.plot(sizes, sigma_stoch, "s-", label=r"mean $\sigma_\mathrm{stoch}$")
    if mse is not None:
        ax.plot(sizes, np.sqrt(mse), "^:", color="k", label="RMS error of the prediction")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training events")
    ax.set_ylabel(r"uncertainty on $\log|\mathcal{M}|^2$")
    ax.legend()
    fig.tight_layout()
    return fig
