"""The reference Bayesian layer, loss, network and prediction (source_helpers.bayes)."""

import math

import numpy as np
import pytest
import torch

from source_helpers.bayes import AmpNet, BayesLinear, neg_log_gauss, predict, set_resample


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def _set(layer, mu, logsig2, bias):
    with torch.no_grad():
        layer.mu_w.copy_(mu)
        layer.logsig2_w.copy_(logsig2)
        layer.bias.copy_(bias)


def test_shapes_and_defaults():
    layer = BayesLinear(6, 3)
    assert layer.mu_w.shape == layer.logsig2_w.shape == (3, 6) and layer.bias.shape == (3,)
    assert layer.resample is True
    assert layer(torch.randn(2, 5, 6)).shape == (2, 5, 3)
    assert layer(torch.randn(6)).shape == (3,)
    # initial sigma tiny: the untrained layer is almost deterministic
    assert float(layer.logsig2_w.detach().exp().sqrt().max()) < 0.02
    assert float(layer.bias.detach().abs().max()) == 0.0


def test_kl_closed_form_and_monte_carlo():
    layer = BayesLinear(4, 3)
    mu = torch.randn(3, 4)
    logsig2 = torch.empty(3, 4).uniform_(-2, 1)
    _set(layer, mu, logsig2, torch.zeros(3))
    closed = 0.5 * (mu**2 + logsig2.exp() - logsig2 - 1).sum()
    assert float(layer.KL().detach()) == pytest.approx(float(closed), rel=1e-6)
    # Monte Carlo: E_q[log q(w) - log p(w)] with w ~ q
    n = 200_000
    sig = (0.5 * logsig2).exp()
    w = mu + sig * torch.randn(n, 3, 4)
    log_q = (-0.5 * ((w - mu) / sig) ** 2 - torch.log(sig) - 0.5 * math.log(2 * math.pi)).sum((1, 2))
    log_p = (-0.5 * w**2 - 0.5 * math.log(2 * math.pi)).sum((1, 2))
    diff = (log_q - log_p).double()
    mc, err = float(diff.mean()), float(diff.std() / math.sqrt(n))
    assert abs(mc - float(closed)) < 5 * err


def test_kl_zero_at_prior():
    layer = BayesLinear(5, 2)
    _set(layer, torch.zeros(2, 5), torch.zeros(2, 5), torch.zeros(2))
    assert float(layer.KL().detach()) == 0.0


def test_output_moments_match_analytic():
    layer = BayesLinear(4, 3)
    mu = torch.randn(3, 4)
    logsig2 = torch.tensor([[-2.5, 0.5, -1.5, 0.8]] * 3)
    bias = torch.randn(3)
    _set(layer, mu, logsig2, bias)
    x = torch.randn(1, 4)
    n = 20_000
    with torch.no_grad():
        out = torch.stack([layer(x)[0] for _ in range(n)]).double()
    want_mean = (x @ mu.T + bias)[0].double()
    want_var = ((x**2) @ logsig2.exp().T)[0].double()
    assert torch.all((out.mean(0) - want_mean).abs() < 5 * (want_var / n).sqrt())
    assert torch.all((out.var(0) - want_var).abs() < 5 * want_var * math.sqrt(2 / n))


def test_resample_flag():
    layer = BayesLinear(5, 4)
    _set(layer, torch.randn(4, 5), torch.zeros(4, 5), torch.zeros(4))
    x = torch.randn(3, 5)
    a, b = layer(x), layer(x)
    assert not torch.equal(a, b)
    layer.resample = False
    c, d = layer(x), layer(x)
    assert torch.equal(c, d) and torch.equal(b, c)  # the last drawn network, again


def test_gradients_reach_both_parameter_sets():
    layer = BayesLinear(4, 2)
    _set(layer, torch.randn(2, 4), torch.full((2, 4), -1.0), torch.zeros(2))
    x = torch.randn(7, 4)
    layer(x).sum().backward()  # output alone, no KL
    assert layer.mu_w.grad is not None and float(layer.logsig2_w.grad.abs().sum()) > 0
    torch.testing.assert_close(layer.mu_w.grad, x.sum(0).expand(2, 4))
    assert layer.bias.grad is not None and torch.equal(layer.bias.grad, torch.full((2,), 7.0))


def test_loss_against_formula_and_exact_cases():
    mu, ls, y = torch.randn(50), torch.empty(50).uniform_(-5, 5), torch.randn(50)
    got = neg_log_gauss(torch.stack([mu, ls], 1), y)
    want = (0.5 * (mu - y) ** 2 / ls.exp() + 0.5 * ls).mean()
    torch.testing.assert_close(got, want)
    assert float(neg_log_gauss(torch.tensor([[0.5, 2.0]]), torch.tensor([0.5]))) == pytest.approx(1.0)
    assert float(neg_log_gauss(torch.tensor([[3.0, 0.0]]), torch.tensor([1.0]))) == pytest.approx(2.0)


def test_network_kl_normalised_and_outputs():
    net = AmpNet(20, 16, 2, training_size=500)
    assert net(torch.randn(9, 20)).shape == (9, 2)
    layers = [m for m in net.modules() if isinstance(m, BayesLinear)]
    assert len(layers) == 4
    torch.testing.assert_close(net.KL(), sum(m.KL() for m in layers) / 500)
    with pytest.raises(ValueError, match="training_size"):
        AmpNet(20, 16, 2, training_size=0)


def test_predict_uncertainties():
    net = AmpNet(20, 16, 2, training_size=100)
    for m in net.modules():
        if isinstance(m, BayesLinear):
            with torch.no_grad():
                m.logsig2_w.fill_(-3.0)
    x = torch.randn(40, 20)
    net.train()
    pred = predict(net, x, n_samples=30, batch_size=16)  # several batches: the same network each
    assert pred.mean.shape == pred.sigma_model.shape == pred.sigma_stoch.shape == (40,)
    assert pred.samples_mu.shape == (30, 40)
    assert (pred.sigma_model > 0).all() and (pred.sigma_stoch > 0).all()
    np.testing.assert_allclose(pred.sigma_tot**2, pred.sigma_model**2 + pred.sigma_stoch**2)
    np.testing.assert_allclose(pred.mean, pred.samples_mu.mean(0))
    assert net.training and all(m.resample for m in net.modules() if isinstance(m, BayesLinear))
    # a deterministic network has no model uncertainty
    for m in net.modules():
        if isinstance(m, BayesLinear):
            with torch.no_grad():
                m.logsig2_w.fill_(-200.0)
    assert predict(net, x, n_samples=5).sigma_model.max() < 1e-6


def test_same_sample_across_batches():
    net = AmpNet(20, 8, 2, training_size=10)
    x = torch.randn(10, 20)
    pred = predict(net, torch.cat([x, x]), n_samples=3, batch_size=10)
    # the first and second half are the same events: the same network must give the same mu
    np.testing.assert_allclose(pred.samples_mu[:, :10], pred.samples_mu[:, 10:], rtol=1e-6)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_device_and_dtype_round_trip(dtype):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    net = AmpNet(20, 8, 2, training_size=10).to(device=device, dtype=dtype)
    layer = net.layers[0]
    assert layer.random.device.type == torch.device(device).type and layer.random.dtype == dtype
    out = net(torch.randn(4, 20, device=device, dtype=dtype))
    assert out.dtype == dtype and out.device.type == torch.device(device).type
    set_resample(net, False)
    assert torch.equal(net(torch.ones(2, 20, device=device, dtype=dtype)), net(torch.ones(2, 20, device=device, dtype=dtype)))
    state = {k: v.cpu() for k, v in net.state_dict().items()}
    assert any(k.endswith("random") for k in state)  # the noise travels with the state dict
