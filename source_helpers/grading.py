"""Checks that the notebook's test cells call: one function per graded behaviour.

Each ``check_*`` function tests what a student's code *does*, not how it is written, and
raises ``AssertionError`` with a message a student can act on, starting with the task name.
Visible test cells and hidden (autograder) cells call the same functions.

Robustness rules (a course's grades depend on them):

* hidden cells load this module afresh from disk (``importlib.reload``) so a student cell that
  replaced one of these functions cannot fool them;
* comparisons use plain arithmetic on Python floats (`_close`), never ``torch.allclose``,
  ``numpy.allclose``, ``math.isclose`` or the testing helpers, which a student cell could have
  replaced by always-pass versions;
* the reference layer/loss are written out here again, independently of `source_helpers.bayes`,
  and a submission that hands in the reference implementation instead of its own fails;
* the network and the training loop are graded with the reference layer and loss swapped in,
  so a mistake in the layer costs points once, in the layer's tasks;
* everything random is seeded (torch, numpy, random); statistical tolerances are derived from
  the number of samples.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import random
import types

import numpy as np
import torch
from torch import nn


class GradingFailure(AssertionError):
    """A check failed; the message says which task and why."""


def _fail(task: str, message: str):
    raise GradingFailure(f"[{task}] {message}")


def seed_everything(seed: int = 0) -> None:
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def _floats(t) -> list[float]:
    """A tensor/array/number as a flat list of Python floats."""
    if isinstance(t, torch.Tensor):
        return [float(v) for v in t.detach().double().cpu().reshape(-1).numpy()]
    if isinstance(t, np.ndarray):
        return [float(v) for v in t.reshape(-1)]
    return [float(t)]


def _close(a, b, rtol: float, atol: float = 0.0) -> bool:
    """Elementwise |a - b| <= atol + rtol |b| on Python floats (NaN never passes)."""
    fa, fb = _floats(a), _floats(b)
    if len(fa) != len(fb):
        return False
    for x, y in zip(fa, fb):
        if not (abs(x - y) <= atol + rtol * abs(y)):
            return False
    return True


def _max_abs(t) -> float:
    return max((abs(v) for v in _floats(t)), default=0.0)


def _is_reference(obj) -> bool:
    """True if obj is, wraps or derives from an object of source_helpers.bayes."""
    mod = getattr(obj, "__module__", None) or ""
    if mod.startswith("source_helpers"):
        return True
    if inspect.isclass(obj):
        return any((getattr(k, "__module__", "") or "").startswith("source_helpers") for k in obj.__mro__)
    return False


def _references_reference(func) -> bool:
    """True if a function's globals/closure hand the work to source_helpers.bayes."""
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    env = dict(getattr(func, "__globals__", {}) or {})
    for cell_name, cell in zip(code.co_freevars, func.__closure__ or ()):
        with contextlib.suppress(ValueError):
            env[cell_name] = cell.cell_contents
    names = set(code.co_names) | set(code.co_freevars)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= set(const.co_names)
    for name in names:
        target = env.get(name)
        if target is None:
            continue
        if isinstance(target, types.ModuleType) and target.__name__.startswith("source_helpers.bayes"):
            return True
        if target is not func and _is_reference(target) and getattr(target, "__module__", "").startswith("source_helpers.bayes"):
            return True
    return False


# --------------------------------------------------------------------------------------------
# the Bayesian layer

LAYER = "Bayesian layer"


def _new_layer(cls, n_in: int, n_out: int, task: str = LAYER):
    if _is_reference(cls):
        _fail(task, "this is the reference BayesLinear from source_helpers, not your own class. Write the layer yourself.")
    try:
        layer = cls(n_in, n_out)
    except Exception as err:  # noqa: BLE001
        _fail(task, f"BayesLinear({n_in}, {n_out}) raised {type(err).__name__}: {err}")
    if not isinstance(layer, nn.Module):
        _fail(task, "BayesLinear must be a torch.nn.Module subclass")
    for sub in layer.modules():
        if sub is not layer and _is_reference(type(sub)):
            _fail(task, "your layer wraps the reference BayesLinear from source_helpers; write the layer yourself.")
    for name in ("mu_w", "logsig2_w", "bias"):
        p = getattr(layer, name, None)
        if not isinstance(p, nn.Parameter):
            _fail(task, f"the layer needs a learnable nn.Parameter called `{name}`")
    return layer


def _set_params(layer, mu, logsig2, bias) -> None:
    with torch.no_grad():
        layer.mu_w.copy_(mu)
        layer.logsig2_w.copy_(logsig2)
        layer.bias.copy_(bias)


def _random_params(n_in: int, n_out: int, gen: torch.Generator):
    """mu ~ N(0, 1); log sigma^2 in [-3, -1] or [0.3, 1] (away from 0 and -0.7, where sigma,
    sigma^2 and |log sigma^2| coincide and would hide mistakes); bias ~ N(0, 1)."""
    mu = torch.randn(n_out, n_in, generator=gen)
    u = torch.rand(n_out, n_in, generator=gen)
    band = torch.rand(n_out, n_in, generator=gen) < 0.5
    logsig2 = torch.where(band, -3.0 + 2.0 * u, 0.3 + 0.7 * u)
    bias = torch.randn(n_out, generator=gen)
    return mu, logsig2, bias


def _seeded_layer(cls, n_in: int, n_out: int, seed: int):
    """A new student layer with seeded random parameters (`_random_params`); returns
    (layer, (mu, logsig2, bias), generator) with the generator ready for further draws."""
    seed_everything(seed)
    gen = torch.Generator().manual_seed(seed)
    layer = _new_layer(cls, n_in, n_out)
    params = _random_params(n_in, n_out, gen)
    _set_params(layer, *params)
    return layer, params, gen


def check_layer_structure(cls) -> None:
    """Parameters of shape (out, in), bias (out,), `resample` True by default, any batch dims."""
    seed_everything(1)
    layer = _new_layer(cls, 6, 3)
    if tuple(layer.mu_w.shape) != (3, 6) or tuple(layer.logsig2_w.shape) != (3, 6):
        _fail(LAYER, f"mu_w and logsig2_w must have shape (out_features, in_features) = (3, 6); got "
                     f"{tuple(layer.mu_w.shape)} and {tuple(layer.logsig2_w.shape)}")
    if tuple(layer.bias.shape) != (3,):
        _fail(LAYER, f"bias must have shape (out_features,) = (3,), got {tuple(layer.bias.shape)}")
    if getattr(layer, "resample", None) is not True:
        _fail(LAYER, "the layer needs an attribute `resample`, True by default")
    for shape in [(5, 6), (2, 4, 6), (6,)]:
        try:
            out = layer(torch.randn(*shape))
        except Exception as err:  # noqa: BLE001
            _fail(LAYER, f"forward on an input of shape {shape} raised {type(err).__name__}: {err}")
        want = shape[:-1] + (3,)
        if not isinstance(out, torch.Tensor) or tuple(out.shape) != want:
            _fail(LAYER, f"an input of shape {shape} must give an output of shape {want}, got "
                         f"{getattr(out, 'shape', type(out).__name__)}")
    if not callable(getattr(layer, "reset_parameters", None)):
        _fail(LAYER, "the layer needs a reset_parameters() method")


def check_layer_resample(cls) -> None:
    """resample=True draws new weights on every pass; resample=False reuses the last ones."""
    layer, _, gen = _seeded_layer(cls, 5, 4, seed=2)
    x = torch.randn(8, 5, generator=gen)
    layer.resample = True
    with torch.no_grad():
        a = layer(x)
        b = layer(x)
        if _close(a, b, rtol=0.0, atol=1e-7):
            _fail(LAYER, "with resample=True two passes over the same input gave the same output: draw new noise "
                         "r ~ N(0, 1) in every forward pass")
        layer.resample = False
        c = layer(x)
        d = layer(x)
    if not _close(c, d, rtol=0.0, atol=0.0):
        _fail(LAYER, "with resample=False two passes gave different outputs: reuse the noise drawn last")
    if not _close(b, c, rtol=1e-6, atol=1e-6):
        _fail(LAYER, "with resample=False the layer must reuse the noise of the last pass (the same network "
                     "evaluated again), but the output changed after switching resample off")


def check_layer_moments(cls, n_samples: int = 4000) -> None:
    """For fixed input the outputs have mean x.mu^T + b and variance x^2.sigma^2^T."""
    n_in, n_out = 4, 3
    layer, (mu, logsig2, bias), gen = _seeded_layer(cls, n_in, n_out, seed=3)
    x = torch.randn(2, n_in, generator=gen)
    layer.resample = True
    with torch.no_grad():
        outs = torch.stack([layer(x) for _ in range(n_samples)]).double()
    mean = outs.mean(0)
    var = outs.var(0)
    xd, mud, s2 = x.double(), mu.double(), logsig2.double().exp()
    want_mean = xd @ mud.T + bias.double()
    want_var = (xd**2) @ s2.T
    # 5 standard errors of the sample mean and of the sample variance (Gaussian outputs)
    for got_m, exp_m, exp_v, got_v in zip(_floats(mean), _floats(want_mean), _floats(want_var), _floats(var)):
        if abs(got_m - exp_m) > 5.0 * math.sqrt(exp_v / n_samples) + 1e-5:
            _fail(LAYER, f"the mean output over many passes is {got_m:.4f}, expected x.mu_w^T + bias = {exp_m:.4f}: "
                         "weights should be mu + sigma * r with r ~ N(0, 1) and a deterministic bias")
        if abs(got_v - exp_v) > 5.0 * exp_v * math.sqrt(2.0 / (n_samples - 1)):
            _fail(LAYER, f"the variance of the output over many passes is {got_v:.4f}, expected "
                         f"x^2 . sigma^2 = {exp_v:.4f}: check w = mu + sigma * r with sigma = exp(logsig2 / 2), "
                         "and that the bias is not random")


def reference_kl(mu, logsig2) -> float:
    """sum of (mu^2 + sigma^2 - log sigma^2 - 1) / 2, in float64."""
    m, l = mu.detach().double(), logsig2.detach().double()
    return float((0.5 * (m * m + l.exp() - l - 1.0)).sum())


def check_layer_kl(cls) -> None:
    """KL() equals the closed form for the layer's own parameters."""
    layer, _, _ = _seeded_layer(cls, 7, 5, seed=4)
    if not callable(getattr(layer, "KL", None)):
        _fail(LAYER, "the layer needs a method KL() returning the KL divergence to the unit-Gaussian prior")
    for trial in range(2):
        got = layer.KL()
        want = reference_kl(layer.mu_w, layer.logsig2_w)
        if not isinstance(got, torch.Tensor) or got.numel() != 1:
            _fail(LAYER, "KL() must return a scalar tensor (the sum over all weights)")
        if not _close(got, want, rtol=1e-5, atol=1e-6):
            _fail(LAYER, f"KL() = {float(got):.5f}, expected sum 0.5 (mu^2 + sigma^2 - log sigma^2 - 1) = {want:.5f}")
        with torch.no_grad():  # also at the initial parameters
            layer.reset_parameters()


def check_layer_gradients(cls) -> None:
    """The output alone gives gradients to mu_w (exactly sum of x) and to logsig2_w."""
    layer, _, gen = _seeded_layer(cls, 4, 3, seed=5)
    x = torch.randn(6, 4, generator=gen)
    layer.resample = True
    layer.zero_grad()
    layer(x).sum().backward()
    g_mu, g_ls = layer.mu_w.grad, layer.logsig2_w.grad
    if g_mu is None or g_ls is None or _max_abs(g_ls) == 0.0:
        _fail(LAYER, "the output has no gradient with respect to logsig2_w: build the weights from the parameters "
                     "in forward (w = mu + sigma * r), the reparameterisation trick")
    want_mu = x.sum(0).expand(3, 4)
    if not _close(g_mu, want_mu, rtol=1e-5, atol=1e-5):
        _fail(LAYER, "d(sum of outputs)/d mu_w should equal the summed inputs: the weights' mean enters the output linearly")


def check_layer_init(cls) -> None:
    """A new layer starts almost deterministic (sigma small) with finite, O(1) means."""
    seed_everything(6)
    layer = _new_layer(cls, 50, 40)
    sig = layer.logsig2_w.detach().double().mul(0.5).exp()
    if not math.isfinite(_max_abs(layer.mu_w)) or _max_abs(layer.mu_w) > 5.0:
        _fail(LAYER, "initial mu_w should be finite and O(1 / sqrt(in_features))")
    if float(sig.max()) > 0.1:
        _fail(LAYER, f"initial sigma of the weights is up to {float(sig.max()):.3f}; start small (e.g. log sigma^2 = -25) "
                     "so that the untrained network is almost deterministic")
    before = _floats(layer.mu_w)
    layer.reset_parameters()
    if _floats(layer.mu_w) == before:
        _fail(LAYER, "reset_parameters() should draw new initial values for mu_w")


def _layer_fault(layer_cls) -> str | None:
    """The failure message of the graded layer checks that make outputs vary, or None if they pass."""
    for check in (check_layer_resample, check_layer_moments):
        try:
            check(layer_cls)
        except Exception as err:  # noqa: BLE001 - any failure there is graded (once) by the layer's cells
            return str(err)
    return None


def check_outputs_vary(out_a, out_b, task: str = "Layer test", layer_cls=None) -> None:
    """Two passes over the same input (stored by the student) differ.

    With ``layer_cls`` (the student's BayesLinear), identical outputs caused by a layer that fails
    its own resample or moments checks are not penalised again here: that mistake is graded once,
    in the layer's cells (a message is printed instead). Wrong storage still fails.
    """
    for name, t in (("first", out_a), ("second", out_b)):
        if not isinstance(t, torch.Tensor):
            _fail(task, f"store the {name} output as a torch tensor")
    if tuple(out_a.shape) != tuple(out_b.shape):
        _fail(task, "both outputs should come from the same input and have the same shape")
    if _close(out_a, out_b, rtol=0.0, atol=0.0):
        fault = _layer_fault(layer_cls) if layer_cls is not None else None
        if fault is not None:
            print(f"[{task}] the two outputs are identical because the layer itself is wrong; fix it first: {fault}")
            return
        _fail(task, "the two outputs are identical: a Bayesian layer/network with resample=True must give "
                    "different outputs for the same input")


# --------------------------------------------------------------------------------------------
# the loss

LOSS = "Bayesian loss"


def reference_nll(outputs, targets) -> float:
    o, t = outputs.detach().double(), targets.detach().double().reshape(-1)
    mu, ls = o[:, 0], o[:, 1]
    return float((0.5 * (mu - t) ** 2 * torch.exp(-ls) + 0.5 * ls).mean())


def _check_loss_fn(fn):
    if _is_reference(fn) or _references_reference(fn):
        _fail(LOSS, "this is the reference neg_log_gauss from source_helpers, not your own function")
    if not callable(fn):
        _fail(LOSS, "neg_log_gauss must be a function (outputs, targets) -> loss")


def _call_loss(fn, outputs, targets):
    try:
        val = fn(outputs, targets)
    except Exception as err:  # noqa: BLE001
        _fail(LOSS, f"neg_log_gauss(outputs of shape {tuple(outputs.shape)}, targets of shape "
                    f"{tuple(targets.shape)}) raised {type(err).__name__}: {err}")
    if not isinstance(val, torch.Tensor) or val.numel() != 1:
        _fail(LOSS, "neg_log_gauss must return a scalar tensor: the mean over the batch")
    return val


def check_loss_values(fn) -> None:
    """Random batches with small and large variances, and batches of different sizes."""
    _check_loss_fn(fn)
    seed_everything(7)
    gen = torch.Generator().manual_seed(7)
    for n, (lo, hi) in [(64, (-6.0, 6.0)), (7, (-1.0, 1.0)), (1, (3.0, 4.0)), (300, (-8.0, -4.0))]:
        mu = torch.randn(n, generator=gen)
        ls = lo + (hi - lo) * torch.rand(n, generator=gen)
        y = torch.randn(n, generator=gen)
        outputs = torch.stack([mu, ls], dim=1)
        got = _call_loss(fn, outputs, y)
        want = reference_nll(outputs, y)
        if not _close(got, want, rtol=1e-5, atol=1e-6):
            _fail(LOSS, f"for a batch of {n} events the loss is {float(got):.6f}, expected {want:.6f}: the mean over "
                        "the batch of (mu - y)^2 / (2 sigma^2) + log(sigma^2) / 2 with outputs[:, 0] = mu and "
                        "outputs[:, 1] = log sigma^2")


def check_loss_exact(fn) -> None:
    """Cases with exact answers: mu = y and log sigma^2 = 2 gives exactly 1, and others."""
    _check_loss_fn(fn)
    cases = [
        ([[0.5, 2.0]], [0.5], 1.0),  # residual 0: only log(sigma^2) / 2
        ([[3.0, 0.0]], [1.0], 2.0),  # sigma = 1: residual^2 / 2
        ([[1.0, math.log(4.0)], [0.0, math.log(4.0)]], [3.0, 0.0], 0.5 * (4.0 / 8.0 + 0.5 * math.log(4.0)) + 0.5 * (0.5 * math.log(4.0))),
    ]
    for out, y, want in cases:
        got = _call_loss(fn, torch.tensor(out), torch.tensor(y))
        if not _close(got, want, rtol=1e-6, atol=1e-6):
            _fail(LOSS, f"neg_log_gauss({out}, {y}) = {float(got):.6f}, expected {want:.6f}")


def check_loss_gradients(fn) -> None:
    """d loss / d mu = (mu - y) / (N sigma^2) and d loss / d log sigma^2 = (1 - r^2/sigma^2) / (2N)."""
    _check_loss_fn(fn)
    gen = torch.Generator().manual_seed(8)
    n = 5
    outputs = torch.stack([torch.randn(n, generator=gen), torch.rand(n, generator=gen) * 2 - 1], 1).requires_grad_(True)
    y = torch.randn(n, generator=gen)
    _call_loss(fn, outputs, y).backward()
    if outputs.grad is None:
        _fail(LOSS, "the loss has no gradient with respect to the network outputs")
    o = outputs.detach().double()
    r2 = (o[:, 0] - y.double()) ** 2
    s2 = o[:, 1].exp()
    want_mu = (o[:, 0] - y.double()) / (n * s2)
    want_ls = (1.0 - r2 / s2) / (2 * n)
    if not _close(outputs.grad[:, 0], want_mu, rtol=1e-4, atol=1e-6):
        _fail(LOSS, "the gradient with respect to mu is wrong: it should pull mu towards the target")
    if not _close(outputs.grad[:, 1], want_ls, rtol=1e-4, atol=1e-6):
        _fail(LOSS, "the gradient with respect to log sigma^2 is wrong: the variance should grow when the "
                    "residual is larger than sigma and shrink otherwise")


# --------------------------------------------------------------------------------------------
# the network


NETWORK = "Bayesian network"
DIMS = "Network dimensions"


def check_dimensions(ipt_dim, opt_dim, hdn_dim) -> None:
    if ipt_dim != 20:
        _fail(DIMS, f"ipt_dim = {ipt_dim!r}: each event has 5 particles x 4 momentum components = 20 inputs")
    if opt_dim != 2:
        _fail(DIMS, f"opt_dim = {opt_dim!r}: the network predicts two numbers, the mean and the log variance")
    if not isinstance(hdn_dim, int) or not 8 <= hdn_dim <= 1024:
        _fail(DIMS, f"hdn_dim = {hdn_dim!r}: choose an integer width for the hidden layers (tens to hundreds)")


@contextlib.contextmanager
def reference_layer_in(net_cls, layer_name: str = "BayesLinear"):
    """Build ``net_cls`` with the reference layer: swap the global ``layer_name`` that the
    class's methods see for the one written out in `source_helpers.bayes`."""
    import importlib

    ref = importlib.import_module("source_helpers.bayes").BayesLinear
    scopes = []
    for attr in ("__init__", "forward"):
        fn = getattr(net_cls, attr, None)
        g = getattr(fn, "__globals__", None)
        if g is not None and all(g is not s for s, _ in scopes):
            scopes.append((g, g.get(layer_name, None)))
    for g, _ in scopes:
        g[layer_name] = ref
    try:
        yield ref
    finally:
        for g, old in scopes:
            if old is None:
                g.pop(layer_name, None)
            else:
                g[layer_name] = old


def _new_net(net_cls, training_size: int, hdn: int = 16):
    try:
        return net_cls(20, hdn, 2, training_size)
    except TypeError as err:
        _fail(NETWORK, f"amp_net(ipt_dim, hdn_dim, opt_dim, training_size) failed: {err}")


def check_network_outputs(net_cls) -> None:
    """Two outputs per event, at least three Bayesian layers and no deterministic Linear."""
    seed_everything(9)
    with reference_layer_in(net_cls) as ref:
        net = _new_net(net_cls, 1000)
        n_bayes = sum(isinstance(m, ref) for m in net.modules())
        if n_bayes < 3:
            _fail(NETWORK, f"found {n_bayes} Bayesian layers: build the network from BayesLinear layers "
                           "(an input layer, hidden layers and an output layer)")
        if any(isinstance(m, nn.Linear) for m in net.modules()):
            _fail(NETWORK, "the network contains a deterministic nn.Linear; use BayesLinear for every layer")
        out = net(torch.randn(13, 20))
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (13, 2):
        _fail(NETWORK, f"an input of shape (13, 20) must give an output of shape (13, 2), got "
                       f"{getattr(out, 'shape', type(out).__name__)}")


def check_network_kl(net_cls) -> None:
    """KL() is the sum of the layers' KL divided by the training-set size."""
    seed_everything(10)
    for size in (1000, 37):
        with reference_layer_in(net_cls) as ref:
            net = _new_net(net_cls, size)
            layers = [m for m in net.modules() if isinstance(m, ref)]
            total = sum(reference_kl(m.mu_w, m.logsig2_w) for m in layers)
            got = net.KL()
        want = total / size
        if not _close(got, want, rtol=1e-5):
            hint = ("it is not divided by the training-set size" if _close(got, total, rtol=1e-5)
                    else "sum the KL of every Bayesian layer, then divide by the number of training events")
            _fail(NETWORK, f"model.KL() = {float(got):.5f}, expected {want:.5f}: {hint}")


def check_model_built(model, net_cls, device, training_size: int) -> None:
    task = "Build the network"
    if not isinstance(model, net_cls):
        _fail(task, "`model` should be an instance of your amp_net class")
    dev = torch.device(device)
    for p in model.parameters():
        if p.device.type != dev.type:
            _fail(task, f"the model's parameters are on {p.device}, expected {dev}: use .to(device)")
    if getattr(model, "training_size", training_size) != training_size:
        _fail(task, f"the model's KL normalisation should be the training-set size {training_size}")


# --------------------------------------------------------------------------------------------
# training


STEP = "Training step"
LOOP = "Training loop"


def _tiny_problem(seed: int, n: int = 64):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 20, generator=gen)
    y = (x[:, :3].sum(1) * 0.5 + 0.1 * torch.randn(n, generator=gen)).unsqueeze(-1)
    return x, y


class _RepeatLoader:
    """A loader yielding the same batch ``times`` times; ``.dataset`` has the right length."""

    def __init__(self, x, y, times):
        self.x, self.y, self.times = x, y, times
        self.dataset = list(range(len(x)))

    def __iter__(self):
        for _ in range(self.times):
            yield self.x, self.y

    def __len__(self):
        return self.times


def check_train_epoch(train_epoch) -> None:
    """Two SGD steps on one batch must equal two manual steps with fresh gradients each time."""
    import copy

    from source_helpers import bayes as ref

    seed_everything(11)
    x, y = _tiny_problem(11, 32)
    model = ref.AmpNet(20, 8, 2, training_size=32)
    with torch.no_grad():
        model(x)  # draw one network, then keep it fixed so the steps are deterministic
    ref.set_resample(model, False)
    lr = 0.05
    start = [p.detach().clone() for p in model.parameters()]
    twin = copy.deepcopy(model)
    for _ in range(2):
        twin.zero_grad()
        loss = ref.neg_log_gauss(twin(x), y.reshape(-1)) + twin.KL()
        loss.backward()
        with torch.no_grad():
            for p in twin.parameters():
                p -= lr * p.grad
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    with _swapped_global(train_epoch, "neg_log_gauss", ref.neg_log_gauss):  # grade the step, not the loss
        try:
            train_epoch(_RepeatLoader(x, y, 2), model, opt)
        except Exception as err:  # noqa: BLE001
            _fail(STEP, f"train_epoch raised {type(err).__name__}: {err}")
    got = [p.detach() for p in model.parameters()]
    if all(_close(g, m.detach(), rtol=1e-4, atol=1e-6) for g, m in zip(got, twin.parameters())):
        return
    if all(_close(g, s, rtol=0.0, atol=0.0) for g, s in zip(got, start)):
        _fail(STEP, "train_epoch did not change the parameters: compute the gradients (loss.backward()) and "
                    "update the weights (optimizer.step())")
    _fail(STEP, "after two optimisation steps the parameters are not where gradient descent puts them: each step "
                "needs optimizer.zero_grad(), loss.backward() and optimizer.step(), in that order (without "
                "zero_grad the gradients of earlier batches pile up)")


def reference_train_epoch(dataloader, model, optimizer):
    """One epoch of optimisation with the reference loss; returns (loss, KL, NLL) averages."""
    from source_helpers import bayes as ref

    model.train()
    sums = torch.zeros(3)
    for x, y in dataloader:
        pred = model(x)
        nl = ref.neg_log_gauss(pred, y.reshape(-1))
        kl = model.KL()
        loss = nl + kl
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        sums += torch.stack([loss.detach(), kl.detach(), nl.detach()]).cpu()
    loss_avg, kl_avg, nl_avg = (sums / max(len(dataloader), 1)).tolist()
    return loss_avg, kl_avg, nl_avg


@contextlib.contextmanager
def _swapped_global(func, name: str, value):
    """Temporarily set global ``name`` in the namespace that ``func`` reads its globals from."""
    glb = getattr(func, "__globals__", None)
    if glb is None:
        yield
        return
    missing = object()
    old = glb.get(name, missing)
    glb[name] = value
    try:
        yield
    finally:
        if old is missing:
            glb.pop(name, None)
        else:
            glb[name] = old


def check_training_loop(train_fn) -> None:
    """A short seeded run with the reference model lowers the training and validation loss."""
    from torch.utils.data import DataLoader, TensorDataset

    from source_helpers import bayes as ref

    seed_everything(12)
    x, y = _tiny_problem(12, 512)
    xv, yv = _tiny_problem(13, 256)
    trn = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
    val = DataLoader(TensorDataset(xv, yv), batch_size=256)
    model = ref.AmpNet(20, 32, 2, training_size=512)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    # grade the loop with the reference loss and training step, so earlier mistakes don't count twice
    with _swapped_global(train_fn, "neg_log_gauss", ref.neg_log_gauss), \
            _swapped_global(train_fn, "train_epoch", reference_train_epoch):
        try:
            hist = train_fn(model, opt, trn, val, 12)
        except Exception as err:  # noqa: BLE001
            _fail(LOOP, f"train_model(model, optimizer, trn_dataloader, val_dataloader, n_epochs) raised "
                        f"{type(err).__name__}: {err}")
    if not isinstance(hist, dict) or not {"trn_loss", "val_loss"} <= set(hist):
        _fail(LOOP, "train_model should return a dict with (at least) the lists 'trn_loss' and 'val_loss'")
    for key in ("trn_loss", "val_loss"):
        vals = [float(v) for v in hist[key]]
        if len(vals) != 12:
            _fail(LOOP, f"'{key}' should hold one value per epoch (12), got {len(vals)}")
        if not all(math.isfinite(v) for v in vals):
            _fail(LOOP, f"'{key}' contains NaN or inf")
        if not vals[-1] < vals[0] - 0.3:
            _fail(LOOP, f"'{key}' went from {vals[0]:.3f} to {vals[-1]:.3f} in 12 epochs of a simple problem: "
                        "is the model trained every epoch (train_epoch) and evaluated on the validation data?")


def check_loss_figure(fig, n_epochs: int) -> None:
    task = "Loss curves"
    import matplotlib.figure

    if not isinstance(fig, matplotlib.figure.Figure):
        _fail(task, "store your loss figure in `fig_loss` (e.g. fig_loss, ax = plt.subplots())")
    lines = [ln for ax in fig.axes for ln in ax.get_lines() if len(ln.get_xdata()) == n_epochs]
    if len(lines) < 2:
        _fail(task, f"plot at least the training and the validation loss, one point per epoch ({n_epochs})")
    if not any(ax.get_xlabel() for ax in fig.axes):
        _fail(task, "label the axes (e.g. 'epoch' and 'loss')")


# --------------------------------------------------------------------------------------------
# study of the results

STUDY = "Study of the results"


def _as_numpy(arr, name: str, n: int, finite: bool = True):
    if isinstance(arr, torch.Tensor):
        arr = arr.detach().cpu().numpy()
    try:
        arr = np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(STUDY, f"{name} should be an array of numbers, got {type(arr).__name__}")
    if arr.shape != (n,):
        _fail(STUDY, f"{name} should hold one number per event, shape ({n},), got {arr.shape}")
    if finite and not np.isfinite(arr).all():
        _fail(STUDY, f"{name} contains NaN or inf")
    return arr


def check_predict_function(fn, n_samples: int = 400) -> None:
    """predict_with_uncertainty(model, x, n_samples) on a reference network with known spread."""
    from source_helpers import bayes as ref

    seed_everything(14)
    model = ref.AmpNet(20, 16, 2, training_size=100)
    with torch.no_grad():
        for layer in ref.bayesian_layers(model):
            layer.logsig2_w.fill_(-4.0)
    x = torch.randn(64, 20, generator=torch.Generator().manual_seed(14))
    truth = ref.predict(model, x, n_samples=3000)
    ref.set_resample(model, True)
    try:
        result = fn(model, x, n_samples)
    except Exception as err:  # noqa: BLE001
        _fail(STUDY, f"predict_with_uncertainty(model, x, n_samples) raised {type(err).__name__}: {err}")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        _fail(STUDY, "predict_with_uncertainty should return three arrays: (mu, sigma_model, sigma_stoch)")
    mu, s_model, s_stoch = (_as_numpy(a, name, len(x)) for a, name in zip(result, ("mu", "sigma_model", "sigma_stoch")))
    if (s_model <= 0).any():
        _fail(STUDY, "sigma_model must be positive: it is the spread of mu over networks sampled with resample=True")
    # statistical tolerances for n_samples draws (5 standard errors)
    mean_err = 5.0 * truth.sigma_model / math.sqrt(n_samples) + 1e-6
    if (np.abs(mu - truth.mean) > mean_err).mean() > 0.02:
        _fail(STUDY, "mu should be the mean over sampled networks of the predicted mean (column 0), event by event")
    ratio = s_model / truth.sigma_model
    if not (np.median(ratio) > 1 - 5.0 / math.sqrt(2 * n_samples) and np.median(ratio) < 1 + 5.0 / math.sqrt(2 * n_samples)):
        _fail(STUDY, f"sigma_model is {np.median(ratio):.2f} times the spread of the sampled means: it should be the "
                     "standard deviation of mu over the sampled networks")
    if not (0.85 < np.median(s_stoch / truth.sigma_stoch) < 1.15):
        _fail(STUDY, "sigma_stoch should be the square root of the mean predicted variance exp(log sigma^2) (column 1)")


def check_study(mu, sigma_model, sigma_stoch, log_amp_true, fig) -> None:
    """The test-set predictions are stored per event and the amplitude histogram is drawn.

    The values themselves depend on the student's own network (graded elsewhere); how they are
    computed is graded by `check_predict_function`."""
    n = len(log_amp_true)
    for arr, name in ((mu, "tst_mu"), (sigma_model, "tst_sigma_model"), (sigma_stoch, "tst_sigma_stoch")):
        _as_numpy(arr, name, n, finite=False)
    import matplotlib.figure

    if not isinstance(fig, matplotlib.figure.Figure) or not any(ax.patches or ax.get_lines() for ax in fig.axes):
        _fail(STUDY, "store the histogram figure of predicted and true amplitudes in `fig_amp`")
