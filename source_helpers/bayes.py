"""Reference Bayesian network: layer, loss, network, and predictions with uncertainties.

This is the instructors' implementation. The solution notebook teaches the same code; the
graders compare student answers with it; the plots and benchmarks use it. Shapes:

* a layer maps (*, in_features) -> (*, out_features);
* the network maps preprocessed events (N, 20) -> (N, 2) = (mean, log variance) of the
  preprocessed target (log of the amplitude);
* `predict` returns per-event numpy arrays (N,) in the units of that target.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

#: Initial log-variance of the weights: the network starts deterministic in practice (sigma ~ 4e-6).
#: The KL term then grows each sigma (Adam moves log sigma^2 by about the learning rate per step)
#: until the likelihood pushes back, so the uncertainties approach their equilibrium from below,
#: after the mean function has been learnt. Starting at -9 (sigma ~ 0.01) instead lets the sigmas
#: overshoot while the fit is still poor; they never come back down, and the network ends up less
#: precise and with a model uncertainty about three times as large (pull width ~0.63 instead of
#: ~0.96 with the solution's recipe; see benchmarks/training_throughput.py).
INIT_LOGSIG2 = -25.0


class BayesLinear(nn.Module):
    """Linear layer with independent Gaussian weights w ~ N(mu_w, exp(logsig2_w)).

    Every forward pass draws w = mu_w + sigma_w * r with r ~ N(0, 1) (the reparameterisation
    trick: gradients flow to mu_w and logsig2_w through a deterministic function of the noise).
    With ``resample = False`` the last drawn r is reused: the same network is evaluated again.
    The bias is an ordinary (deterministic) parameter. The noise lives in a registered buffer,
    so ``.to(device)`` moves it with the layer.
    """

    def __init__(self, in_features: int, out_features: int, init_logsig2: float = INIT_LOGSIG2):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.init_logsig2 = init_logsig2
        self.resample = True
        self.mu_w = nn.Parameter(torch.empty(out_features, in_features))
        self.logsig2_w = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        self.register_buffer("random", torch.randn(out_features, in_features))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """mu_w ~ N(0, 1/in_features), logsig2_w ~ N(init_logsig2, 0.001^2), bias = 0."""
        with torch.no_grad():
            self.mu_w.normal_(0.0, 1.0 / math.sqrt(self.in_features))
            self.logsig2_w.normal_(self.init_logsig2, 0.001)
            self.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.resample:
            self.random = torch.randn_like(self.logsig2_w)
        weight = self.mu_w + torch.exp(0.5 * self.logsig2_w) * self.random
        return F.linear(x, weight, self.bias)

    def KL(self) -> torch.Tensor:
        """KL(q(w) || N(0, 1)) = sum over weights of (mu^2 + sigma^2 - log sigma^2 - 1) / 2."""
        return 0.5 * (self.mu_w.pow(2) + self.logsig2_w.exp() - self.logsig2_w - 1.0).sum()

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, resample={self.resample}"


def neg_log_gauss(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Gaussian negative log-likelihood, averaged over the batch (constant ln sqrt(2 pi) dropped).

    outputs: (N, 2) with outputs[:, 0] = mu and outputs[:, 1] = log sigma^2; targets: (N,).
    Returns mean of (mu - y)^2 / (2 sigma^2) + log(sigma^2) / 2.
    """
    mu = outputs[:, 0]
    logsig2 = outputs[:, 1]
    return torch.mean(0.5 * (mu - targets).pow(2) * torch.exp(-logsig2) + 0.5 * logsig2)


class AmpNet(nn.Module):
    """Bayesian MLP: ipt_dim -> hdn_dim -> ... -> hdn_dim -> opt_dim with `BayesLinear` layers.

    ``n_hidden`` hidden-to-hidden layers follow the input layer (default 2, the tutorial's
    "input layer, two hidden layers, output layer"). ``training_size`` is the number of
    training events: `KL` returns the summed KL of all layers divided by it, so that
    ``neg_log_gauss(...) + model.KL()`` is the loss per event. ``init_logsig2`` is the initial
    log-variance of every weight (see `INIT_LOGSIG2`).
    """

    def __init__(
        self, ipt_dim: int, hdn_dim: int, opt_dim: int, training_size: int, n_hidden: int = 2,
        activation: type[nn.Module] = nn.ReLU, init_logsig2: float = INIT_LOGSIG2,
    ):
        super().__init__()
        if training_size < 1:
            raise ValueError(f"training_size must be the (positive) number of training events, got {training_size}")
        self.training_size = training_size
        dims = [ipt_dim] + [hdn_dim] * (n_hidden + 1)
        layers: list[nn.Module] = []
        for d_in, d_out in zip(dims[:-1], dims[1:]):
            layers += [BayesLinear(d_in, d_out, init_logsig2), activation()]
        layers.append(BayesLinear(hdn_dim, opt_dim, init_logsig2))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)

    def KL(self) -> torch.Tensor:
        return sum(m.KL() for m in bayesian_layers(self)) / self.training_size


def bayesian_layers(model: nn.Module) -> list[nn.Module]:
    """The modules of ``model`` that have both a ``KL`` method and a ``resample`` flag."""
    return [m for m in model.modules() if m is not model and hasattr(m, "resample") and callable(getattr(m, "KL", None))]


def set_resample(model: nn.Module, flag: bool) -> None:
    for layer in bayesian_layers(model):
        layer.resample = flag


class Prediction(NamedTuple):
    """Per-event predictions (numpy arrays (N,)), in the units of the network's target.

    mean: mean over network samples of the predicted mean mu;
    sigma_model: standard deviation of mu over network samples (the model, or epistemic,
    uncertainty; shrinks with more training data);
    sigma_stoch: sqrt of the mean predicted variance (the stochastic, or aleatoric, part that the
    network attributes to the data itself);
    sigma_tot: sqrt(sigma_model^2 + sigma_stoch^2);
    samples_mu: (n_samples, N) the predicted means of every network sample.
    """

    mean: np.ndarray
    sigma_model: np.ndarray
    sigma_stoch: np.ndarray
    sigma_tot: np.ndarray
    samples_mu: np.ndarray


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor, n_samples: int = 50, batch_size: int = 65536) -> Prediction:
    """Sample ``n_samples`` networks from ``model`` and evaluate each on all events ``x`` (N, D).

    Each sample draws its weights once (resample on for the first batch), then keeps them
    (resample off) for the remaining batches, so every event sees the same network. The
    model's ``resample`` flags and train/eval mode are restored afterwards.
    """
    if n_samples < 2:
        raise ValueError("predict needs n_samples >= 2 to estimate the spread between networks")
    layers = bayesian_layers(model)
    saved_flags = [layer.resample for layer in layers]
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    mus, variances = [], []
    try:
        for _ in range(n_samples):
            mu_parts, var_parts = [], []
            for i, start in enumerate(range(0, len(x), batch_size)):
                set_resample(model, i == 0)
                out = model(x[start : start + batch_size].to(device))
                mu_parts.append(out[:, 0].double().cpu())
                var_parts.append(out[:, 1].double().exp().cpu())
            mus.append(torch.cat(mu_parts))
            variances.append(torch.cat(var_parts))
    finally:
        for layer, flag in zip(layers, saved_flags):
            layer.resample = flag
        model.train(was_training)
    mu = torch.stack(mus).numpy()
    var = torch.stack(variances).numpy()
    mean = mu.mean(axis=0)
    sigma_model = mu.std(axis=0, ddof=1)
    sigma_stoch = np.sqrt(var.mean(axis=0))
    return Prediction(mean, sigma_model, sigma_stoch, np.sqrt(sigma_model**2 + sigma_stoch**2), mu)
