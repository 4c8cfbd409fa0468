"""Special functions of the one-loop amplitude (SPEC section 3).

Every function here is vectorised: the arguments are real numpy arrays (or scalars) of a
common broadcast shape and the result has that shape. The pair arguments follow the spec:
``x = -s_a`` and ``y = -s_b`` for two Mandelstam invariants (GeV^2), and the functions depend
on the real ratio ``r = x / y`` and on the signs of ``x`` and ``y`` (the ``-i0`` prescription).

Near ``r = 1`` (L0, L1, L2) and near ``delta = 0`` (Ls1) the direct formulas cancel
catastrophically; the stable Taylor series of SPEC 3.3 and 3.6 are used there.
"""

from __future__ import annotations

import math

import numpy as np

PI = math.pi
PI2_6 = PI * PI / 6.0

# SPEC 3.3: switch to the series for |1 - r| < Z0, with N_LSERIES terms (Horner scheme).
Z0 = 0.25
N_LSERIES = 40
# SPEC 3.6: Ls1 series for |delta| < LS1_SWITCH * |b0|, with N_LS1SERIES terms.
LS1_SWITCH = 0.05
N_LS1SERIES = 18

# c_n = B_n / (n+1)! for the Bernoulli series of Li2 (SPEC 3.4); index n = 0..24.
_LI2_COEFFS = np.zeros(25)
_LI2_COEFFS[0] = 1.0
_LI2_COEFFS[1] = -1.0 / 4.0
_LI2_COEFFS[2] = 1.0 / 36.0
_LI2_COEFFS[4] = -1.0 / 3600.0
_LI2_COEFFS[6] = 1.0 / 211680.0
_LI2_COEFFS[8] = -1.0 / 10886400.0
_LI2_COEFFS[10] = 1.0 / 526901760.0
_LI2_COEFFS[12] = -691.0 / 16999766784000.0
_LI2_COEFFS[14] = 1.0 / 1120863744000.0
_LI2_COEFFS[16] = -3617.0 / 181400588328960000.0
_LI2_COEFFS[18] = 43867.0 / 97072790126247936000.0
_LI2_COEFFS[20] = -174611.0 / 16860010916664115200000.0
_LI2_COEFFS[22] = 77683.0 / 324325300906011525120000.0
_LI2_COEFFS[24] = -236364091.0 / 42345603418293591736320000000.0

# Series coefficients of SPEC 3.3, highest power first for Horner evaluation.
_L0_SERIES = np.array([-1.0 / n for n in range(1, N_LSERIES + 1)])[::-1].copy()
_L1_SERIES = np.array([-1.0 / n for n in range(2, N_LSERIES + 2)])[::-1].copy()
_L2_SERIES = np.array([0.5 - 1.0 / n for n in range(3, N_LSERIES + 3)])[::-1].copy()


def _horner(coeffs_high_first: np.ndarray, z: np.ndarray) -> np.ndarray:
    acc = np.full_like(z, coeffs_high_first[0])
    for c in coeffs_high_first[1:]:
        acc = acc * z + c
    return acc


def lnrat(x, y):
    """ln(x - i0) - ln(y - i0) = ln|x/y| - i*pi*[theta(-x) - theta(-y)]  (SPEC 3.1).

    x, y: real, non-zero arrays (typically ``-s``). Returns complex128 of the broadcast shape.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    imag = -PI * ((x < 0).astype(np.float64) - (y < 0).astype(np.float64))
    return np.log(np.abs(x / y)) + 1j * imag


def _ratio_and_log(x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    r = x / y
    return r, lnrat(x, y)


def _series_mask(z):
    small = np.abs(z) < Z0
    return small, np.where(small, z, 0.0), np.where(small, 1.0, z)


def L0(x, y):
    """L0(x, y) = lnrat(x, y) / (1 - r), r = x/y (SPEC 3.2), stable near r = 1."""
    r, lr = _ratio_and_log(x, y)
    small, zs, zd = _series_mask(1.0 - r)
    return np.where(small, _horner(_L0_SERIES, zs), lr / zd)


def L1(x, y):
    """L1(x, y) = [L0(x, y) + 1] / (1 - r) (SPEC 3.2), stable near r = 1."""
    r, lr = _ratio_and_log(x, y)
    small, zs, zd = _series_mask(1.0 - r)
    return np.where(small, _horner(_L1_SERIES, zs), (lr / zd + 1.0) / zd)


def L2(x, y):
    """L2(x, y) = [lnrat(x, y) - (r - 1/r)/2] / (1 - r)^3 (SPEC 3.2), stable near r = 1."""
    r, lr = _ratio_and_log(x, y)
    small, zs, zd = _series_mask(1.0 - r)
    direct = (lr - 0.5 * (r - 1.0 / r)) / (zd * zd * zd)
    return np.where(small, _horner(_L2_SERIES, zs), direct)


def _li2_core(y):
    """Li2 on -1 <= y <= 1/2 by the Bernoulli series in u = -ln(1-y)."""
    u = -np.log1p(-y)
    acc = np.full_like(u, _LI2_COEFFS[-1])
    for c in _LI2_COEFFS[-2::-1]:
        acc = acc * u + c
    return acc * u


def li2(x):
    """Real dilogarithm Li2(x) for real x <= 1 (SPEC 3.4). Returns float64 array."""
    x = np.asarray(x, dtype=np.float64)
    if np.any(x > 1.0):
        raise ValueError("li2: argument > 1 is outside the real branch used here")
    below = x < -1.0
    upper = x > 0.5
    # arguments mapped into [-1, 1/2]; placeholders where the branch is not taken
    inv = np.where(below, 1.0 / np.where(below, x, -2.0), 0.0)
    refl = np.where(upper, 1.0 - x, 0.0)
    core = np.where(below, inv, np.where(upper, refl, x))
    val = _li2_core(core)
    with np.errstate(divide="ignore", invalid="ignore"):
        lnm = np.log(np.where(below, -x, 1.0))
        upper_val = PI2_6 - np.log(np.where(upper, x, 0.5)) * np.log(np.where(upper & (x < 1.0), 1.0 - x, 0.5)) - val
    upper_val = np.where(x == 1.0, PI2_6, upper_val)
    return np.where(below, -PI2_6 - 0.5 * lnm * lnm - val, np.where(upper, upper_val, val))


def _dilog_continued(x, y):
    """D(x, y) of SPEC 3.5: Li2(1 - r) continued with the -i0 prescription."""
    r, lr = _ratio_and_log(x, y)
    pos = r > 0
    d_pos = li2(np.where(pos, 1.0 - r, 0.0))
    rn = np.where(pos, -1.0, r)
    d_neg = PI2_6 - li2(rn) - lr * np.log1p(-rn)
    return np.where(pos, d_pos + 0j, d_neg)


def ls_minus1(x1, y1, x2, y2):
    """Ls_{-1}(x1, y1; x2, y2) of SPEC 3.5."""
    return _dilog_continued(x1, y1) + _dilog_continued(x2, y2) + lnrat(x1, y1) * lnrat(x2, y2) - PI2_6


def Ls1(x1, y1, x2, y2):
    """Ls1(x1, y1; x2, y2) of SPEC 3.5, with the small-delta series of SPEC 3.6."""
    x1, y1, x2, y2 = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (x1, y1, x2, y2)))
    r1 = x1 / y1
    r2 = x2 / y2
    delta = 1.0 - r1 - r2
    swap = np.abs(r2) > np.abs(r1)
    a = np.where(swap, r2, r1)
    b0 = 1.0 - a
    use_series = np.abs(delta) < LS1_SWITCH * np.abs(b0)

    safe_delta = np.where(use_series, 1.0, delta)
    with np.errstate(divide="ignore", invalid="ignore"):
        ls0 = ls_minus1(x1, y1, x2, y2) / safe_delta
        out = np.array((ls0 + L0(x1, y1) + L0(x2, y2)) / safe_delta, dtype=np.complex128)

    if np.any(use_series):
        m = use_series
        xa = np.where(swap, x2, x1)[m]
        ya = np.where(swap, y2, y1)[m]
        xb = np.where(swap, x1, x2)[m]
        yb = np.where(swap, y1, y2)[m]
        out[m] = _ls1_series(a[m], b0[m], delta[m], xa, ya, xb, yb)
    return out


def _ls1_series(a, b0, delta, xa, ya, xb, yb):
    """Ls1 = -sum_{k>=1} (-delta)^{k-1} c_k (SPEC 3.6), on the selected subset."""
    b = xb / yb
    ell_a = lnrat(xa, ya)
    ell_0 = lnrat(xb, yb) - np.log(b / b0)
    total = np.zeros_like(ell_a)
    t_k = np.zeros_like(a)
    inv_a = 1.0 / a
    inv_b0 = 1.0 / b0
    a_pow = inv_a  # 1 / a^k, updated to 1 / a^{k+1} below
    b0_pow = np.ones_like(b0)  # 1 / b0^k
    mdelta_pow = np.ones_like(delta)  # (-delta)^{k-1}
    for k in range(1, N_LS1SERIES + 1):
        b0_pow = b0_pow * inv_b0
        sign_km1 = 1.0 if (k - 1) % 2 == 0 else -1.0
        t_k = (t_k + sign_km1 * b0_pow / k) * inv_a
        a_pow = a_pow * inv_a
        c_k = k / (k + 1.0) * (ell_0 * a_pow + t_k) + sign_km1 * ell_a * (b0_pow * inv_b0) / (k + 1.0)
        total = total + mdelta_pow * c_k
        mdelta_pow = mdelta_pow * (-delta)
    return -total
