"""Special functions against the reference values of SPEC 7.1 and their analytic limits."""

import math

import numpy as np
import pytest

from source_helpers.physics.special import L0, L1, L2, Ls1, li2, lnrat

# (function, args, expected) from SPEC 7.1 (17 significant digits)
REFERENCE = [
    (L0, (-3, -5), -1.2770640594149767),
    (L0, (2, -7), -0.97437119771861955 + 2.4434609527920614j),
    (L0, (-1, -1.0000001), -1.0000000499999984),
    (L1, (-3, -5), -0.69266014853744177),
    (L1, (4, -1.5), 0.34568151468682261 + 0.23367218084552181j),
    (L1, (-2, -2.002), -0.50033325003331664),
    (L2, (-3, -5), 0.35168296198972891),
    (L2, (-6, 2.5), 0.047504971606466685 - 0.079930608935217618j),
    (L2, (-1, -1.001), 0.16691671665000711),
    (L2, (5, 4.9999), 0.16666166668666681),
    (Ls1, (-3, -5, -1, -5), 1.0878335792891592),
    (Ls1, (2, -5, -4, -5), 0.076334530442053018 - 1.1435777685341798j),
    (Ls1, (-7, 3, 2, 3), -0.27410481072361146 + 0.35759871551812895j),
    (Ls1, (-3, -5, -1.999, -5), 0.78582080181769625),
    (Ls1, (4, -2, -3, -2), -0.16086337244563874 - 0.26968433933720245j),
]


@pytest.mark.parametrize("func, args, expected", REFERENCE, ids=lambda v: getattr(v, "__name__", None))
def test_reference_values(func, args, expected):
    got = complex(func(*[np.float64(a) for a in args]))
    assert abs(got - expected) <= 1e-14 * max(1.0, abs(expected)), (func.__name__, args, got, expected)


@pytest.mark.parametrize(
    "x, expected",
    [(-50.0, -9.2769951853326218), (-0.3, -0.28007433375958289), (0.7, 0.88937762428603866),
     (0.999, 1.6370226052761177), (1.0, math.pi**2 / 6), (0.0, 0.0), (-1.0, -math.pi**2 / 12), (0.5, math.pi**2 / 12 - math.log(2) ** 2 / 2)],
)
def test_li2_reference(x, expected):
    assert li2(np.array([x]))[0] == pytest.approx(expected, rel=1e-15, abs=1e-16)


def test_li2_rejects_argument_above_one():
    with pytest.raises(ValueError, match="> 1"):
        li2(np.array([1.5]))


def test_lnrat_prescription():
    # ln(-s - i0): a positive invariant (x = -s < 0) picks up -i pi
    assert lnrat(-2.0, 1.0) == pytest.approx(math.log(2.0) - 1j * math.pi)
    assert lnrat(1.0, -2.0) == pytest.approx(math.log(0.5) + 1j * math.pi)
    assert lnrat(-3.0, -4.0) == pytest.approx(math.log(0.75))


def test_l_functions_regular_and_continuous_at_r_equal_one():
    # limits L0 -> -1, L1 -> -1/2, L2 -> 1/6, and no jump where the series takes over (|1-r| = 0.25)
    y = np.full(3, -4.0)
    assert L0(np.array([-4.0]), y[:1])[0] == pytest.approx(-1.0, abs=1e-15)
    assert L1(np.array([-4.0]), y[:1])[0] == pytest.approx(-0.5, abs=1e-15)
    assert L2(np.array([-4.0]), y[:1])[0] == pytest.approx(1.0 / 6.0, abs=1e-15)
    for f in (L0, L1, L2):
        for edge in (0.75, 1.25):
            x = -4.0 * np.array([edge * (1 - 1e-12), edge * (1 + 1e-12)])
            v = f(x, np.full(2, -4.0))
            assert abs(v[0] - v[1]) < 1e-10, (f.__name__, edge, v)


def test_l_functions_match_direct_formula_away_from_one():
    rng = np.random.default_rng(3)
    x = -rng.uniform(0.1, 10, 200)
    y = -rng.uniform(0.1, 10, 200)
    r = x / y
    keep = np.abs(1 - r) > 0.5
    x, y, r = x[keep], y[keep], r[keep]
    lr = np.log(r)
    np.testing.assert_allclose(L0(x, y).real, lr / (1 - r), rtol=1e-13)
    np.testing.assert_allclose(L1(x, y).real, (lr / (1 - r) + 1) / (1 - r), rtol=1e-12)
    np.testing.assert_allclose(L2(x, y).real, (lr - (r - 1 / r) / 2) / (1 - r) ** 3, rtol=1e-11)


def test_ls1_series_agrees_with_direct_formula():
    # inside the series region (|delta| < 0.05 |b0|) but where the direct formula still keeps
    # ~12 digits, the two must agree; the series must also be smooth across the switch
    from source_helpers.physics.special import ls_minus1

    a, b0 = 0.6, 0.4
    for delta in (0.04 * b0, 0.03 * b0, -0.045 * b0):
        x1, y1, x2, y2 = (np.array([v]) for v in (-3.0, -5.0, -5.0 * (1 - a - delta), -5.0))
        direct = (ls_minus1(x1, y1, x2, y2) / delta + L0(x1, y1) + L0(x2, y2)) / delta
        assert Ls1(x1, y1, x2, y2)[0] == pytest.approx(direct[0], rel=1e-9)
    deltas = b0 * np.array([0.05 * (1 - 1e-9), 0.05 * (1 + 1e-9)])
    vals = Ls1(np.full(2, -3.0), np.full(2, -5.0), -5.0 * (1 - a - deltas), np.full(2, -5.0))
    assert abs(vals[0] - vals[1]) < 1e-10  # the argument itself moves by 4e-11 here


def test_ls1_symmetric_in_its_two_pairs():
    assert Ls1(-3.0, -5.0, -1.999, -5.0) == pytest.approx(Ls1(-1.999, -5.0, -3.0, -5.0), rel=1e-14)
    assert Ls1(2.0, -5.0, -4.0, -5.0) == pytest.approx(Ls1(-4.0, -5.0, 2.0, -5.0), rel=1e-14)
