"""One-loop squared amplitude of g g -> gamma gamma g through a massless quark loop.

Implements SPEC sections 4-6 (primitive amplitudes of Bern-Dixon-Kosower, the photon sum of
Bern-Dixon-Schmidt) and the g g -> gamma gamma box of SPEC 7.4 used for the soft limit.

Public API
----------
``squared_amplitude(momenta, alpha=1/137, alpha_s=0.118) -> (N,)``  |M|^2 in GeV^-2
``helicity_amplitudes(momenta) -> (N, 32) complex``                 M(h) in GeV^-1
``helicity_sum(momenta) -> (N,)``                                   H in GeV^-2
``squared_amplitude_gg_aa(momenta4, alpha, alpha_s) -> (N,)``       2 -> 2 box, GeV^0

Vectorisation (SPEC 5.4): the 12 colour orderings x 5 cyclic rotations give 60 label
permutations. Spinor products, invariants and every special function are gathered once per
permutation into arrays of shape (N, 60); each of the four primitive classes is evaluated once
with (<>, []) and once with ([], <>) (parity), and a precomputed table picks, for every helicity
pattern and ordering, the (class, parity, rotation) entry to sum. Events are processed in
chunks (bounded memory) on a small thread pool (numpy releases the GIL in its kernels).
"""

from __future__ import annotations

import itertools
import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .kinematics import invariants, spinor_products, validate_momenta
from .special import L0, L1, L2, Ls1, lnrat

ALPHA_DEFAULT = 1.0 / 137.0
ALPHA_S_DEFAULT = 0.118
N_C = 3
QUARK_CHARGES = (-1.0 / 3.0, 2.0 / 3.0, -1.0 / 3.0, 2.0 / 3.0, -1.0 / 3.0)  # d, u, s, c, b
SUM_Q2 = sum(q * q for q in QUARK_CHARGES)  # 11/9

#: The 12 orderings of SPEC 5.1 (labels 1..5); gluons 1 -> 2 -> 5 in cyclic order.
ORDERINGS = (
    (1, 2, 3, 4, 5), (1, 2, 4, 3, 5), (1, 3, 2, 4, 5), (3, 1, 2, 4, 5),
    (1, 4, 2, 3, 5), (3, 1, 4, 2, 5), (1, 3, 4, 2, 5), (1, 4, 3, 2, 5),
    (4, 1, 2, 3, 5), (4, 1, 3, 2, 5), (3, 4, 1, 2, 5), (4, 3, 1, 2, 5),
)
N_ORD = len(ORDERINGS)

#: The 32 helicity patterns (h1..h5, +1 or -1) in the order of SPEC 7.2: +++++, ++++-, ...
HELICITIES = np.array([[1 - 2 * int(b) for b in format(i, "05b")] for i in range(32)], dtype=np.int8)
HELICITY_LABELS = tuple("".join("+" if h > 0 else "-" for h in row) for row in HELICITIES)

# Primitive classes (SPEC 4.2-4.5).
ALL_PLUS, ONE_MINUS, MHV_ADJACENT, MHV_NONADJACENT = range(4)
N_CLASS = 4

# PERM[c * 5 + r, i] = 0-based label at position i of ordering c rotated by r.
PERM = np.array(
    [[ORDERINGS[c][(r + i) % 5] - 1 for i in range(5)] for c in range(N_ORD) for r in range(5)],
    dtype=np.intp,
)
N_PERM = PERM.shape[0]  # 60

DEFAULT_CHUNK = 2048


def _select(helicity_at_position: tuple[int, ...]) -> tuple[int, int, int]:
    """(class, rotation, parity) for helicities listed by position in an ordering (SPEC 4.7)."""
    h = np.array(helicity_at_position)
    parity = 0
    if (h < 0).sum() >= 3:
        h, parity = -h, 1
    neg = [i for i in range(5) if h[i] < 0]
    if not neg:
        return ALL_PLUS, 0, parity
    if len(neg) == 1:
        return ONE_MINUS, neg[0], parity
    i, j = neg
    if (j - i) % 5 == 1:
        return MHV_ADJACENT, i, parity
    if (i - j) % 5 == 1:
        return MHV_ADJACENT, j, parity
    if (j - i) % 5 == 2:
        return MHV_NONADJACENT, i, parity
    return MHV_NONADJACENT, j, parity


def _build_table() -> np.ndarray:
    """TABLE[h, c] = flat index into the (class, parity, ordering, rotation) amplitude array."""
    table = np.empty((32, N_ORD), dtype=np.intp)
    for ih, hel in enumerate(HELICITIES):
        for c, order in enumerate(ORDERINGS):
            cls, rot, par = _select(tuple(int(hel[a - 1]) for a in order))
            table[ih, c] = ((cls * 2 + par) * N_ORD + c) * 5 + rot
    return table


TABLE = _build_table()


class _Positions:
    """Spinor products and invariants gathered at the positions of all 60 permutations.

    ``a(i, j)``, ``b(i, j)``, ``s(i, j)`` take 1-based positions as written in the spec and
    return arrays of shape (N, 60).
    """

    def __init__(self, ang: np.ndarray, sq: np.ndarray, s: np.ndarray):
        pi = PERM[:, :, None]
        pj = PERM[:, None, :]
        # (5, 5, N, 60): contiguous (N, 60) slabs per position pair
        self._a = np.ascontiguousarray(ang[:, pi, pj].transpose(2, 3, 0, 1))
        self._b = np.ascontiguousarray(sq[:, pi, pj].transpose(2, 3, 0, 1))
        self._s = np.ascontiguousarray(s[:, pi, pj].transpose(2, 3, 0, 1))

    def a(self, i: int, j: int) -> np.ndarray:
        return self._a[i - 1, j - 1]

    def b(self, i: int, j: int) -> np.ndarray:
        return self._b[i - 1, j - 1]

    def s(self, i: int, j: int) -> np.ndarray:
        return self._s[i - 1, j - 1]

    def swapped(self) -> "_Positions":
        """The same positions with <> and [] exchanged (parity, SPEC 4.7)."""
        other = object.__new__(_Positions)
        other._a, other._b, other._s = self._b, self._a, self._s
        return other


def _ell(s: np.ndarray, q2: np.ndarray) -> np.ndarray:
    """l(s) = lnrat(-s, Q^2) = ln(|s|/Q^2) - i pi theta(s) (SPEC 4.6)."""
    return lnrat(-s, q2)


def _v_coefficient(x: _Positions, pos_a, pos_b, q2, eps_inv, mu2):
    """-(V^f + V^s) for the MHV classes; (pos_a, pos_b) are the position pairs of s_A, s_B."""
    s_a, s_b = x.s(*pos_a), x.s(*pos_b)
    if eps_inv is None:
        return -(_ell(s_a, q2) + _ell(s_b, q2)) / 3.0
    vf = -2.5 * eps_inv - 2.0 - 0.5 * (lnrat(mu2, -s_a) + lnrat(mu2, -s_b))
    vs = -vf / 3.0 + 2.0 / 9.0
    return -(vf + vs)


class _SpecialFunctions:
    """Special functions of the MHV classes at all 60 permutations (shared by both parities)."""

    def __init__(self, x: _Positions, q2, eps_inv, mu2):
        s12, s23, s34, s51 = x.s(1, 2), x.s(2, 3), x.s(3, 4), x.s(5, 1)
        # adjacent class (4.4)
        self.adj_v = _v_coefficient(x, (2, 3), (5, 1), q2, eps_inv, mu2)
        self.adj_L0 = L0(-s23, -s51)
        self.adj_L2 = L2(-s23, -s51)
        # non-adjacent class (4.5)
        self.non_v = _v_coefficient(x, (3, 4), (5, 1), q2, eps_inv, mu2)
        self.lam_a = Ls1(-s23, -s51, -s34, -s51)
        self.lam_b = Ls1(-s12, -s34, -s51, -s34)
        self.L0_34_51 = L0(-s34, -s51)
        self.L1_23_51 = L1(-s23, -s51)
        self.L1_34_51 = L1(-s34, -s51)
        self.L1_12_34 = L1(-s12, -s34)
        self.L1_51_34 = L1(-s51, -s34)
        self.L2_23_51 = self.adj_L2
        self.L2_12_34 = L2(-s12, -s34)
        self.L2_34_51 = L2(-s34, -s51)


def _chain(x: _Positions) -> np.ndarray:
    """C = <12><23><34><45><51>."""
    a = x.a
    return a(1, 2) * a(2, 3) * a(3, 4) * a(4, 5) * a(5, 1)


def _all_plus(x: _Positions) -> np.ndarray:
    """P(1+2+3+4+5+), SPEC 4.2."""
    a, b, s = x.a, x.b, x.s
    s12, s23, s34, s45, s51 = s(1, 2), s(2, 3), s(3, 4), s(4, 5), s(5, 1)
    eps_hat = b(1, 2) * a(2, 3) * b(3, 4) * a(4, 1) - a(1, 2) * b(2, 3) * a(3, 4) * b(4, 1)
    num = s12 * s23 + s23 * s34 + s34 * s45 + s45 * s51 + s51 * s12 + eps_hat
    return -num / (6.0 * _chain(x))


def _one_minus(x: _Positions) -> np.ndarray:
    """P(1-2+3+4+5+), SPEC 4.3."""
    a, b = x.a, x.b
    t1 = -b(2, 5) ** 3 / (b(1, 2) * b(5, 1))
    t2 = a(1, 4) ** 3 * b(4, 5) * a(3, 5) / (a(1, 2) * a(2, 3) * a(4, 5) ** 2)
    t3 = -a(1, 3) ** 3 * b(3, 2) * a(4, 2) / (a(1, 5) * a(5, 4) * a(3, 2) ** 2)
    return -(t1 + t2 + t3) / (3.0 * a(3, 4) ** 2)


def _mhv_adjacent(x: _Positions, f: _SpecialFunctions):
    """P(1-2-3+4+5+) of SPEC 4.4; returns (P, PT)."""
    a, b, s = x.a, x.b, x.s
    s23, s51 = s(2, 3), s(5, 1)
    a12, a23, a34, a45, a51 = a(1, 2), a(2, 3), a(3, 4), a(4, 5), a(5, 1)
    a41, a24, a35 = a(4, 1), a(2, 4), a(3, 5)
    b12, b23, b34, b45, b51, b35 = b(1, 2), b(2, 3), b(3, 4), b(4, 5), b(5, 1), b(3, 5)
    pt = a12**4 / (a12 * a23 * a34 * a45 * a51)
    w = a23 * b34 * a41 + a24 * b45 * a51
    ff = -(a12**2) * w * f.adj_L0 / (2.0 * a23 * a34 * a45 * a51 * s51)
    fs = (
        -ff / 3.0
        - b34 * a41 * a24 * b45 * w * f.adj_L2 / (3.0 * a34 * a45 * s51**3)
        - a35 * b35**3 / (3.0 * b12 * b23 * a34 * a45 * b51)
        + a12 * b35**2 / (3.0 * b23 * a34 * a45 * b51)
        + a12 * b34 * a41 * a24 * b45 / (6.0 * s23 * a34 * a45 * s51)
    )
    return f.adj_v * pt - (ff + fs), pt


def _mhv_nonadjacent(x: _Positions, f: _SpecialFunctions):
    """P(1-2+3-4+5+) of SPEC 4.5; returns (P, PT)."""
    a, b, s = x.a, x.b, x.s
    s34, s51 = s(3, 4), s(5, 1)
    a12, a13, a15, a21, a23, a24, a25 = a(1, 2), a(1, 3), a(1, 5), a(2, 1), a(2, 3), a(2, 4), a(2, 5)
    a32, a34, a41, a43, a45, a51, a53, a54 = (
        a(3, 2), a(3, 4), a(4, 1), a(4, 3), a(4, 5), a(5, 1), a(5, 3), a(5, 4)
    )
    b12, b15, b21, b23, b24, b25, b34, b42, b51, b52 = (
        b(1, 2), b(1, 5), b(2, 1), b(2, 3), b(2, 4), b(2, 5), b(3, 4), b(4, 2), b(5, 1), b(5, 2)
    )
    chain = a12 * a23 * a34 * a45 * a51
    pt = a13**4 / chain
    u = a15 * b52 * a23 - a34 * b42 * a21
    lam_a, lam_b = f.lam_a, f.lam_b
    s51_2, s34_2 = s51 * s51, s34 * s34
    s51_3, s34_3 = s51_2 * s51, s34_2 * s34
    x41 = a41 * b24  # <41>[24]
    x53 = a53 * b25  # <53>[25]
    ff = (
        -(a13**2) * a41 * b24**2 * lam_a / (a45 * a51 * s51_2)
        + a13**2 * a53 * b25**2 * lam_b / (a34 * a45 * s34_2)
        - a13**3 * u * f.L0_34_51 / (2.0 * chain * s51)
    )
    fs = (
        -a12 * a23 * a34 * x41**2 / (a45 * a51 * a24**2 * s51_2) * (2.0 * lam_a + f.L1_23_51 + f.L1_34_51)
        + a32 * a21 * a15 * x53**2 / (a54 * a43 * a25**2 * s34_2) * (2.0 * lam_b + f.L1_12_34 + f.L1_51_34)
        + 2.0 * a23**2 * x41**3 * f.L2_23_51 / (3.0 * a45 * a51 * a24 * s51_3)
        - 2.0 * a21**2 * x53**3 * f.L2_12_34 / (3.0 * a54 * a43 * a25 * s34_3)
        + f.L2_34_51
        / s51_3
        * (
            a13 * b24 * b25 * u / (3.0 * a45)
            + 2.0 * (a12 * a34) ** 2 * a41 * b24**3 / (3.0 * a45 * a51 * a24)
            - 2.0 * (a32 * a15) ** 2 * a53 * b25**3 / (3.0 * a54 * a43 * a25)
        )
        + a13**3 * u * f.L0_34_51 / (6.0 * chain * s51)
        + (b24 * b25) ** 2 / (3.0 * b12 * b23 * b34 * a45 * b51)
        - a12 * a41**2 * b24**3 / (3.0 * a45 * a51 * a24 * b23 * b34 * s51)
        + a32 * a53**2 * b25**3 / (3.0 * a54 * a43 * a25 * b21 * b15 * s34)
        + a13**2 * b24 * b25 / (6.0 * s34 * a45 * s51)
    )
    return f.non_v * pt - (ff + fs), pt


def _primitives(p: np.ndarray, eps_inv=None, mu2=None, with_pt: bool = False):
    """All primitive amplitudes of one chunk.

    Returns prim (N, 4 classes, 2 parities, 12 orderings, 5 rotations) complex, and with
    ``with_pt`` also PT of the same layout (zero for the non-MHV classes).
    """
    n = p.shape[0]
    ang, sq = spinor_products(p)
    s = invariants(p)
    x = _Positions(ang, sq, s)
    q2 = s[:, 0, 1][:, None]  # Q^2 = s_12 per event (SPEC 4.6)
    f = _SpecialFunctions(x, q2, eps_inv, mu2)
    prim = np.empty((N_CLASS, 2, n, N_PERM), dtype=np.complex128)
    pts = np.zeros_like(prim) if with_pt else None
    for parity, xp in enumerate((x, x.swapped())):
        prim[ALL_PLUS, parity] = _all_plus(xp)
        prim[ONE_MINUS, parity] = _one_minus(xp)
        prim[MHV_ADJACENT, parity], pt_adj = _mhv_adjacent(xp, f)
        prim[MHV_NONADJACENT, parity], pt_non = _mhv_nonadjacent(xp, f)
        if with_pt:
            pts[MHV_ADJACENT, parity] = pt_adj
            pts[MHV_NONADJACENT, parity] = pt_non

    def to_layout(arr):
        # (class, parity, N, 60) -> (N, class*parity*ordering*rotation)
        return arr.transpose(2, 0, 1, 3).reshape(n, -1)

    return to_layout(prim), (to_layout(pts) if with_pt else None)


def _sum_orderings(prim_flat: np.ndarray) -> np.ndarray:
    """M(h) = sum over the 12 orderings (N, 32) from the flat primitive array."""
    return prim_flat[:, TABLE].sum(axis=2)


def _helicity_chunk(p, eps_inv=None, mu2=None):
    prim, _ = _primitives(p, eps_inv, mu2)
    return _sum_orderings(prim)


def _default_workers() -> int:
    env = os.environ.get("BAYES_AMP_THREADS")
    if env:
        return max(1, int(env))
    return max(1, min(4, os.cpu_count() or 1))


def _map_chunks(func, p: np.ndarray, chunk: int, workers: int | None, out_shape_tail, dtype):
    n = p.shape[0]
    out = np.empty((n, *out_shape_tail), dtype=dtype)
    starts = list(range(0, n, chunk))
    workers = _default_workers() if workers is None else max(1, int(workers))

    def run(start):
        out[start : start + chunk] = func(p[start : start + chunk])

    if workers == 1 or len(starts) == 1:
        for st in starts:
            run(st)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, starts))
    return out


def helicity_amplitudes(
    momenta, *, eps_inv: float | None = None, mu2: float | None = None, chunk: int = DEFAULT_CHUNK,
    workers: int | None = None, validate: bool = True,
) -> np.ndarray:
    """Helicity amplitudes M(h) = sum_sigma P(sigma; h) (SPEC 5.2).

    momenta: float64 (N, 5, 4), LAB frame, GeV, rows (g_in +z, g_in -z, leading photon,
    subleading photon, g_out). Returns complex128 (N, 32) in GeV^-1, the helicity patterns in
    the order of ``HELICITIES`` (all-outgoing helicities, spinor conventions of SPEC 2.1).

    ``eps_inv`` (1/epsilon) and ``mu2`` (GeV^2) select the full V-terms of SPEC 4.4/4.5 instead
    of the recommended epsilon- and mu-free form; the result must not depend on them.
    """
    p = validate_momenta(momenta) if validate else np.asarray(momenta, dtype=np.float64)
    if (eps_inv is None) != (mu2 is None):
        raise ValueError("helicity_amplitudes: give both eps_inv and mu2 (full V-terms) or neither")
    return _map_chunks(
        lambda c: _helicity_chunk(c, eps_inv, mu2), p, chunk, workers, (32,), np.complex128
    )


def helicity_sum(momenta, **kwargs) -> np.ndarray:
    """H = sum_h |M(h)|^2 (N,) in GeV^-2 (SPEC 5.2); kwargs as for `helicity_amplitudes`."""
    m = helicity_amplitudes(momenta, **kwargs)
    return (m.real**2 + m.imag**2).sum(axis=1)


def coupling_prefactor(alpha: float = ALPHA_DEFAULT, alpha_s: float = ALPHA_S_DEFAULT) -> float:
    """4 pi alpha^2 alpha_s^3 N_c/(N_c^2-1) (sum_q Q_q^2)^2 = (121 pi/54) alpha^2 alpha_s^3 (SPEC 6.2)."""
    return 4.0 * math.pi * alpha**2 * alpha_s**3 * N_C / (N_C**2 - 1) * SUM_Q2**2


def squared_amplitude(
    momenta, alpha: float = ALPHA_DEFAULT, alpha_s: float = ALPHA_S_DEFAULT, **kwargs
) -> np.ndarray:
    """Spin- and colour-summed/averaged one-loop |M|^2 of g g -> gamma gamma g (SPEC 0, 6).

    momenta: float64 (N, 5, 4) in GeV (see `helicity_amplitudes`); returns float64 (N,) in
    GeV^-2, averaged over initial spins (1/4) and colours (1/64), including the factor 1/2 for
    the identical photons, n_f = 5 massless quarks, fixed couplings ``alpha`` and ``alpha_s``.
    """
    if not (alpha > 0 and alpha_s > 0):
        raise ValueError(f"squared_amplitude: couplings must be positive, got alpha={alpha}, alpha_s={alpha_s}")
    return coupling_prefactor(alpha, alpha_s) * helicity_sum(momenta, **kwargs)


def photon_decoupling_sums(momenta) -> tuple[np.ndarray, np.ndarray]:
    """For tests (SPEC 5.3): sum_sigma PT(sigma; h) (N, 32) and max_sigma |PT(sigma; h)| (N, 32)."""
    p = validate_momenta(momenta)
    _, pts = _primitives(p, with_pt=True)
    picked = pts[:, TABLE]
    return picked.sum(axis=2), np.abs(picked).max(axis=2)


# ----------------------------------------------------------------------------------------------
# g g -> gamma gamma (SPEC 7.4), for the soft-gluon limit

_GG_AA_PATTERNS = ["".join(h) for h in itertools.product("+-", repeat=4)]


def _box_helicities(s, t, u):
    """The 16 one-loop box amplitudes m_h of g g -> gamma gamma (all-outgoing), dict by pattern."""
    log_tu = np.log(t / u)
    m_mmpp = -0.5 * (t * t + u * u) / s**2 * (log_tu**2 + math.pi**2) - (t - u) / s * log_tu - 1.0

    def m_mpmp(t, u):
        lts = np.log(-t / s)
        return (
            -0.5 * (t * t + s * s) / u**2 * lts**2 - (t - s) / u * lts - 1.0
            - 1j * math.pi * ((t * t + s * s) / u**2 * lts + (t - s) / u)
        )

    out = {h: np.ones_like(s, dtype=np.complex128) for h in _GG_AA_PATTERNS}
    out["--++"] = out["++--"] = m_mmpp + 0j
    out["-+-+"] = out["+-+-"] = m_mpmp(t, u)
    out["+--+"] = out["-++-"] = m_mpmp(u, t)
    return out


def squared_amplitude_gg_aa(momenta4, alpha: float = ALPHA_DEFAULT, alpha_s: float = ALPHA_S_DEFAULT) -> np.ndarray:
    """|M|^2 of g g -> gamma gamma through the massless quark box (SPEC 7.4), dimensionless.

    momenta4: float64 (N, 4, 4) LAB momenta, rows (g_in +z, g_in -z, photon, photon).
    Averaged over initial spins and colours, including the 1/2 for identical photons:
    (1/4) alpha^2 alpha_s^2 (sum_q Q_q^2)^2 sum_h |m_h|^2.
    """
    p = np.asarray(momenta4, dtype=np.float64)
    if p.ndim != 3 or p.shape[1:] != (4, 4):
        raise ValueError(f"squared_amplitude_gg_aa: expected shape (N, 4, 4), got {p.shape}")
    k = p.copy()
    k[:, :2] *= -1.0

    def sij(i, j):
        q = k[:, i] + k[:, j]
        return q[:, 0] ** 2 - (q[:, 1:] ** 2).sum(axis=1)

    s, t, u = sij(0, 1), sij(0, 2), sij(1, 2)
    amps = _box_helicities(s, t, u)
    total = sum(np.abs(m) ** 2 for m in amps.values())
    return 0.25 * alpha**2 * alpha_s**2 * SUM_Q2**2 * total
