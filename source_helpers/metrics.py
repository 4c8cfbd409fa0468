"""Figures of merit of a Bayesian amplitude regression (all inputs numpy arrays of shape (N,)).

The target is the (shifted) log-amplitude, so differences of logs are log-ratios of amplitudes:
Delta = A_pred / A_true - 1 = exp(mu - y) - 1, and sigma on the target is the relative
uncertainty on the amplitude.
"""

from __future__ import annotations

import numpy as np


def relative_deviation(mu: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Delta = A_pred / A_true - 1 from predicted and true log-amplitudes."""
    return np.expm1(np.asarray(mu, dtype=np.float64) - np.asarray(target, dtype=np.float64))


def pulls(mu: np.ndarray, sigma_tot: np.ndarray, target: np.ndarray) -> np.ndarray:
    """(y_true - mu) / sigma_tot: unit-Gaussian distributed if the uncertainties are calibrated."""
    return (np.asarray(target, dtype=np.float64) - mu) / sigma_tot


def coverage(mu: np.ndarray, sigma_tot: np.ndarray, target: np.ndarray, n_sigma: float) -> float:
    """Fraction of events with |y_true - mu| < n_sigma * sigma_tot (0.683 / 0.954 when calibrated)."""
    return float(np.mean(np.abs(pulls(mu, sigma_tot, target)) < n_sigma))


def headline(mu, sigma_model, sigma_stoch, target) -> dict[str, float]:
    """MSE of the log-amplitude, median |Delta|, mean uncertainties, pull mean/width, coverages."""
    mu = np.asarray(mu, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    sigma_model = np.asarray(sigma_model, dtype=np.float64)
    sigma_stoch = np.asarray(sigma_stoch, dtype=np.float64)
    sigma_tot = np.sqrt(sigma_model**2 + sigma_stoch**2)
    p = pulls(mu, sigma_tot, target)
    return {
        "test_mse_logA": float(np.mean((mu - target) ** 2)),
        "median_abs_delta": float(np.median(np.abs(relative_deviation(mu, target)))),
        "mean_sigma_model": float(np.mean(sigma_model)),
        "mean_sigma_stoch": float(np.mean(sigma_stoch)),
        "pull_mean": float(np.mean(p)),
        "pull_width": float(np.std(p)),
        "coverage_68": coverage(mu, sigma_tot, target, 1.0),
        "coverage_95": coverage(mu, sigma_tot, target, 2.0),
    }
