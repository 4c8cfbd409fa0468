"""Unit tests of grading checks whose logic goes beyond one comparison (fast; the corpus grades whole notebooks)."""

import importlib.util
import math

import pytest
import torch
from torch import nn

from course import REPO
from source_helpers import grading


def _alternative_layer():
    """A correct BayesLinear written independently of the reference (tests/grading/alternatives)."""
    spec = importlib.util.spec_from_file_location("alt", REPO / "tests" / "grading" / "alternatives" / "matmul_and_uniform_init.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    namespace = {"torch": torch, "nn": nn, "math": math}
    exec(module.LAYER, namespace)  # noqa: S102
    return namespace["BayesLinear"]


def _noise_drawn_once(correct):
    class Broken(correct):
        def forward(self, x):
            w = self.mu_w + torch.exp(0.5 * self.logsig2_w) * self.noise  # never redrawn
            return x @ w.T + self.bias
    return Broken


def test_varying_outputs_pass():
    grading.check_outputs_vary(torch.zeros(3), torch.ones(3), layer_cls=_alternative_layer())


def test_identical_outputs_of_a_correct_layer_fail():
    out = torch.randn(4, 3)
    with pytest.raises(grading.GradingFailure, match="identical"):
        grading.check_outputs_vary(out, out.clone(), layer_cls=_alternative_layer())
    with pytest.raises(grading.GradingFailure, match="identical"):
        grading.check_outputs_vary(out, out.clone())


def test_identical_outputs_of_a_broken_layer_are_not_charged_twice(capsys):
    broken = _noise_drawn_once(_alternative_layer())
    with pytest.raises(grading.GradingFailure):
        grading.check_layer_resample(broken)  # the layer's own cell charges the mistake
    out = torch.randn(4, 3)
    grading.check_outputs_vary(out, out.clone(), task="Layer test", layer_cls=broken)
    assert "the layer itself is wrong" in capsys.readouterr().out


def test_wrong_storage_fails_whatever_the_layer():
    broken = _noise_drawn_once(_alternative_layer())
    with pytest.raises(grading.GradingFailure, match="tensor"):
        grading.check_outputs_vary([1.0], torch.ones(1), layer_cls=broken)
    with pytest.raises(grading.GradingFailure, match="shape"):
        grading.check_outputs_vary(torch.ones(2), torch.ones(3), layer_cls=broken)
