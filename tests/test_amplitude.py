"""The one-loop |M|^2 against the quadruple-precision reference and physics limits (SPEC 5, 7)."""

import math

import numpy as np
import pytest

from source_helpers.physics import (
    HELICITY_LABELS,
    helicity_amplitudes,
    helicity_sum,
    invariants,
    spinor_products,
    squared_amplitude,
    squared_amplitude_gg_aa,
)
from source_helpers.physics.amplitudes import photon_decoupling_sums

REF_POINT = np.array(
    [[[480, 0, 0, 480], [210, 0, 0, -210], [230, 30, 220, 60], [210, -180, -60, 90], [250, 150, -160, 120]]],
    dtype=np.float64,
)
REF_H = 5.645380482953740837898651e-3
REF_MSQ = 3.47888111960595875e-9
# SPEC 7.2: |M(h)| for h = (h1..h5), GeV^-1
REF_HELICITY = dict(
    zip(
        "+++++ ++++- +++-+ +++-- ++-++ ++-+- ++--+ ++--- +-+++ +-++- +-+-+ +-+-- +--++ +--+- +---+ +---- "
        "-++++ -+++- -++-+ -++-- -+-++ -+-+- -+--+ -+--- --+++ --++- --+-+ --+-- ---++ ---+- ----+ -----".split(),
        [0.002781903401203822, 0.02224474155305086, 0.005088551424597904, 0.01155688884166839,
         0.006466296184344621, 0.008183013966559303, 0.01079153863632516, 0.03108258387214653,
         0.01417159057529869, 0.002462714048219627, 0.00931053624258383, 0.01668774920313294,
         0.01002553663063277, 0.007706758968902554, 0.0004229950619851512, 0.01715316733065658,
         0.01715316733065658, 0.003250388621932786, 0.01028477473004886, 0.007979662309756615,
         0.01405840365492619, 0.01077334583064253, 0.004401882668566219, 0.01417159057529869,
         0.03108258387214653, 0.007794285382214828, 0.01018187535288151, 0.006466296184344621,
         0.007525486389097226, 0.005088551424597904, 0.02224474155305086, 0.002781903401203822],
    )
)


def rel(a, b):
    return np.abs(np.asarray(a) / np.asarray(b) - 1.0)


# --- reference values -------------------------------------------------------------------------


def test_reference_point():
    assert rel(helicity_sum(REF_POINT), REF_H).max() < 1e-13
    assert rel(squared_amplitude(REF_POINT), REF_MSQ).max() < 1e-13


def test_reference_point_per_helicity():
    m = np.abs(helicity_amplitudes(REF_POINT)[0])
    for label, value in zip(HELICITY_LABELS, m):
        assert value == pytest.approx(REF_HELICITY[label], rel=1e-12), label


def test_golden_sampler_and_edge_points(golden):
    msq = squared_amplitude(golden["momenta"], alpha=float(golden["alpha"]), alpha_s=float(golden["alpha_s"]))
    r = rel(msq, golden["msq"])
    assert r.max() <= 1e-10, f"worst point {int(r.argmax())} (kind {golden['kind'][r.argmax()]}): {r.max():.2e}"
    # the same quantity at e = g_s = 1 and the bare helicity sum H
    assert rel(helicity_sum(golden["momenta"]), golden["helicity_sum"]).max() <= 1e-10
    assert rel(squared_amplitude(golden["momenta"], alpha=1 / (4 * math.pi), alpha_s=1 / (4 * math.pi)),
               golden["msq_e1g1"]).max() <= 1e-10


def test_golden_stress_points(golden):
    msq = squared_amplitude(golden["stress_momenta"])
    assert rel(msq, golden["stress_msq"]).max() <= 1e-6


def test_beats_published_double_precision_reference(golden):
    # the stable series of SPEC 3.3/3.6 make us more accurate than the double-precision oracle
    ours = rel(squared_amplitude(golden["momenta"]), golden["msq"]).max()
    theirs = rel(golden["msq_oracle_double"], golden["msq"]).max()
    assert ours <= theirs


# --- spinors ----------------------------------------------------------------------------------


def test_spinor_identities(golden):
    p = golden["momenta"][:20]
    ang, sq = spinor_products(p)
    s = invariants(p)
    np.testing.assert_allclose(ang, -ang.transpose(0, 2, 1), atol=1e-12)
    np.testing.assert_allclose(sq, -sq.transpose(0, 2, 1), atol=1e-12)
    scale = np.abs(s).max()
    np.testing.assert_allclose(ang * sq.transpose(0, 2, 1), s, atol=1e-12 * scale)  # <ij>[ji] = s_ij
    conservation = np.einsum("nik,nkj->nij", ang, sq)  # sum_k <ik>[kj] = 0
    assert np.abs(conservation).max() < 1e-10 * scale
    i, j, k, l = 0, 2, 3, 4
    schouten = ang[:, i, j] * ang[:, k, l] - ang[:, i, k] * ang[:, j, l] - ang[:, i, l] * ang[:, k, j]
    assert np.abs(schouten).max() < 1e-10 * scale


def test_invariant_identities(golden):
    s = invariants(golden["momenta"][:50])
    assert np.abs(s.sum(axis=2)).max() < 1e-9 * np.abs(s).max()  # sum_j s_ij = 0
    # physical-region signs (SPEC 1.4)
    for i, j in [(0, 1), (2, 3), (2, 4), (3, 4)]:
        assert (s[:, i, j] > 0).all()
    for i in (0, 1):
        for j in (2, 3, 4):
            assert (s[:, i, j] < 0).all()


# --- physics checks (SPEC 7.4) ----------------------------------------------------------------


def test_photon_decoupling(golden):
    total, biggest = photon_decoupling_sums(golden["momenta"][:40])
    mhv = biggest > 0
    assert mhv.any()
    assert (np.abs(total[mhv]) <= 1e-12 * biggest[mhv]).all()


def test_eps_and_mu_independence():
    h0 = helicity_sum(REF_POINT)
    for eps_inv, mu2 in [(0.0, 1.0), (7.3, 91.1876**2), (-250.0, 3.0e5)]:
        h = helicity_sum(REF_POINT, eps_inv=eps_inv, mu2=mu2)
        assert rel(h, h0).max() < 1e-11, (eps_inv, mu2)


def test_full_v_terms_need_both_parameters():
    with pytest.raises(ValueError, match="both"):
        helicity_sum(REF_POINT, eps_inv=1.0)


def test_bose_symmetry(golden):
    p = golden["momenta"][:60]
    m0 = squared_amplitude(p)
    photons_swapped = p[:, [0, 1, 3, 2, 4]]
    assert rel(squared_amplitude(photons_swapped), m0).max() < 1e-12
    beams_swapped = p[:, [1, 0, 2, 3, 4]]
    assert rel(squared_amplitude(beams_swapped), m0).max() < 1e-12
    # 1 <-> 2 maps the orderings onto the reversed ones: every M(h) flips sign (up to spinor phases
    # that cancel in |M(h)|), so the per-helicity magnitudes of the swapped helicities agree
    mh = np.abs(helicity_amplitudes(p[:5]))
    ms = np.abs(helicity_amplitudes(beams_swapped[:5]))
    from source_helpers.physics import HELICITIES

    index = {tuple(h): i for i, h in enumerate(HELICITIES.tolist())}
    perm = [index[(h[1], h[0], h[2], h[3], h[4])] for h in HELICITIES.tolist()]
    np.testing.assert_allclose(ms[:, perm], mh, rtol=1e-11)


def _random_lorentz(rng):
    """A random rotation followed by a boost with |beta| < 0.9, as a 4x4 matrix."""
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    if np.linalg.det(q) < 0:
        q[:, 0] *= -1
    rot = np.eye(4)
    rot[1:, 1:] = q
    n = rng.normal(size=3)
    n /= np.linalg.norm(n)
    beta = rng.uniform(0.1, 0.9)
    g = 1 / math.sqrt(1 - beta**2)
    boost = np.eye(4)
    boost[0, 0] = g
    boost[0, 1:] = boost[1:, 0] = g * beta * n
    boost[1:, 1:] += (g - 1) * np.outer(n, n)
    return boost @ rot


def test_lorentz_invariance(golden):
    rng = np.random.default_rng(11)
    p = golden["momenta"][:40]
    m0 = squared_amplitude(p)
    for _ in range(3):
        lam = _random_lorentz(rng)
        q = np.einsum("ab,nib->nia", lam, p)
        assert rel(squared_amplitude(q), m0).max() < 3e-12


def _soft_event(sqrt_s, frac, n3, n5, y):
    """2 -> 3 event (1, 5, 4) with gluon energy frac * sqrt_s / 2 along n5, photon 3 along n3,
    photon 4 balancing, boosted along z with rapidity y; plus its E5 -> 0 limit (1, 4, 4)."""
    e5 = frac * sqrt_s / 2
    c = float(n3 @ n5)
    w = sqrt_s - e5
    e3 = (w * w - e5 * e5) / (2 * (w + e5 * c))
    p3 = e3 * np.r_[1.0, n3]
    p5 = e5 * np.r_[1.0, n5]
    p4 = np.r_[sqrt_s, 0, 0, 0] - p3 - p5
    ev = np.array([[sqrt_s / 2, 0, 0, sqrt_s / 2], [sqrt_s / 2, 0, 0, -sqrt_s / 2], p3, p4, p5])
    lim3 = sqrt_s / 2 * np.r_[1.0, n3]
    lim = np.array([ev[0], ev[1], lim3, np.r_[sqrt_s / 2, -lim3[1:]]])
    boost = np.eye(4)
    boost[0, 0] = boost[3, 3] = math.cosh(y)
    boost[0, 3] = boost[3, 0] = math.sinh(y)
    return (ev @ boost.T)[None], (lim @ boost.T)[None]


def test_soft_gluon_limit():
    n3 = np.array([0.3, 0.5, 0.6])
    n3 /= np.linalg.norm(n3)
    n5 = np.array([-0.2, 0.7, -0.4])
    n5 /= np.linalg.norm(n5)
    alpha_s = 0.118
    gs2 = 4 * math.pi * alpha_s
    deviations = []
    for frac in (1e-2, 1e-3, 1e-4, 1e-5):
        ev, lim = _soft_event(500.0, frac, n3, n5, y=0.3)
        s = invariants(ev)[0]
        eikonal = 4 * 3 * gs2 * s[0, 1] / (s[0, 4] * s[1, 4])
        ratio = squared_amplitude(ev, alpha_s=alpha_s)[0] / (eikonal * squared_amplitude_gg_aa(lim, alpha_s=alpha_s)[0])
        deviations.append(abs(ratio - 1))
    # ratio -> 1 linearly in E5: each decade shrinks the deviation about tenfold
    assert deviations[-1] < 1e-3
    for big, small in zip(deviations, deviations[1:]):
        assert small < 0.2 * big


def test_gg_aa_box_reference_limits():
    # at t = u (90 degree scattering) the (--++) amplitude is -(1/4)pi^2 - 1 (logs vanish)
    e = 100.0
    p = np.array([[[e, 0, 0, e], [e, 0, 0, -e], [e, e, 0, 0], [e, -e, 0, 0]]])
    a, a_s = 0.01, 0.1
    msq = squared_amplitude_gg_aa(p, alpha=a, alpha_s=a_s)[0]
    # at t = u = -s/2: m(--++) = -(1/4)(pi^2) - 1; m(-+-+) = m(+--+) both from lts = ln(1/2)
    s, t = 4 * e * e, -2 * e * e
    lts = math.log(-t / s)
    m1 = -0.25 * math.pi**2 - 1
    m2 = -0.5 * (t * t + s * s) / t**2 * lts**2 - (t - s) / t * lts - 1 - 1j * math.pi * ((t * t + s * s) / t**2 * lts + (t - s) / t)
    total = 2 * m1**2 + 4 * abs(m2) ** 2 + 10
    assert msq == pytest.approx(0.25 * a**2 * a_s**2 * (11 / 9) ** 2 * total, rel=1e-13)


# --- input validation -------------------------------------------------------------------------


def _scaled_row(p, row, factor):
    q = p.copy()
    q[:, row] *= factor
    return q


def _massive_photon(p):
    q = p.copy()
    q[:, 2, 0] += 5.0
    return q


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda p: p[0], "single event"),
        (lambda p: p[:, :4], r"\(N, 5, 4\)"),
        (lambda p: _scaled_row(p, 2, np.nan), "non-finite"),
        (lambda p: _scaled_row(p, 4, 1.01), "does not conserve momentum"),  # still massless
        (_massive_photon, "not massless"),
        (lambda p: -p, "incoming energy"),
        (lambda p: p.astype(np.int64), "floating-point"),
    ],
    ids=["single-event", "wrong-shape", "nan", "not-conserved", "massive", "negative-energy", "integer"],
)
def test_invalid_input_raises_clear_error(mutate, message):
    p = np.repeat(REF_POINT, 3, axis=0)
    with pytest.raises(ValueError, match=message):
        squared_amplitude(mutate(p))


def test_error_names_the_event():
    p = np.repeat(REF_POINT, 4, axis=0)
    p[2, 4, 1] += 1.0  # break event 2
    with pytest.raises(ValueError, match="event 2"):
        squared_amplitude(p)


def test_chunking_and_threads_do_not_change_results(golden):
    p = golden["momenta"]
    a = squared_amplitude(p, chunk=16, workers=1)
    np.testing.assert_array_equal(squared_amplitude(p, chunk=16, workers=2), a)  # bit for bit
    # another chunking moves events between numpy's vector body and scalar tail loops, whose
    # kernels may round differently in the last bit: equal to a few ulp, not bit for bit
    np.testing.assert_allclose(squared_amplitude(p, chunk=7, workers=2), a, rtol=1e-14, atol=0)
