"""Bit-reproducible exp, log, sin/cos and atan2 for the phase-space sampler.

numpy dispatches ``np.exp``, ``np.log``, ``np.sin``... to different SIMD kernels on different
CPUs (and libm versions differ), and those may differ in the last bit. The sampler promises the
same momenta, bit for bit, on every machine, so it uses these functions instead: argument
reduction with exact operations (``frexp``, ``ldexp``, ``rint``) followed by fixed-order
polynomials evaluated with +, -, * and / only, which IEEE 754 rounds identically everywhere.
Accuracy is ~1 ulp, ample for sampling; they are not meant to be fast.
"""

from __future__ import annotations

import math

import numpy as np

_LN2_HI = 6.93147180369123816490e-01  # high part of ln 2 (low bits zero: k * LN2_HI exact)
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.0 / math.log(2.0)
_EXP_COEFFS = [1.0 / math.factorial(n) for n in range(17, -1, -1)]  # highest power first
_ATANH_COEFFS = [1.0 / (2 * n + 1) for n in range(14, -1, -1)]
_ATAN_COEFFS = [(-1.0) ** n / (2 * n + 1) for n in range(24, -1, -1)]
_SIN_COEFFS = [(-1.0) ** n / math.factorial(2 * n + 1) for n in range(11, -1, -1)]
_COS_COEFFS = [(-1.0) ** n / math.factorial(2 * n) for n in range(11, -1, -1)]
_TAN_PI_8 = math.sqrt(2.0) - 1.0


def _poly(coeffs, z):
    acc = np.full_like(z, coeffs[0])
    for c in coeffs[1:]:
        acc = acc * z + c
    return acc


def exp(x):
    """e^x for float64 arrays with |x| < 700."""
    x = np.asarray(x, dtype=np.float64)
    k = np.rint(x * _INV_LN2)
    r = (x - k * _LN2_HI) - k * _LN2_LO
    return np.ldexp(_poly(_EXP_COEFFS, r), k.astype(np.int64))


def log(x):
    """Natural logarithm for positive, finite float64 arrays."""
    x = np.asarray(x, dtype=np.float64)
    m, e = np.frexp(x)  # x = m 2^e, m in [0.5, 1)
    low = m < math.sqrt(0.5)
    m = np.where(low, m * 2.0, m)
    e = np.where(low, e - 1, e).astype(np.float64)
    f = (m - 1.0) / (m + 1.0)
    log_m = 2.0 * f * _poly(_ATANH_COEFFS, f * f)
    return (e * _LN2_LO + log_m) + e * _LN2_HI


def cos_sin_2pi(u):
    """(cos 2 pi u, sin 2 pi u) for float64 arrays u (in turns)."""
    u = np.asarray(u, dtype=np.float64)
    half = math.pi * (u - np.rint(u))  # half-angle in [-pi/2, pi/2]
    z = half * half
    s = half * _poly(_SIN_COEFFS, z)
    c = _poly(_COS_COEFFS, z)
    return c * c - s * s, 2.0 * s * c


def _atan_unit(a):
    """atan(a) for 0 <= a <= 1."""
    big = a > _TAN_PI_8
    z = np.where(big, (a - 1.0) / (a + 1.0), a)
    val = z * _poly(_ATAN_COEFFS, z * z)
    return np.where(big, math.pi / 4.0 + val, val)


def atan2(y, x):
    """Angle of (x, y) in [-pi, pi], like ``numpy.arctan2`` (atan2(0, 0) = 0)."""
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    ay, ax = np.abs(y), np.abs(x)
    hi = np.maximum(ay, ax)
    lo = np.minimum(ay, ax)
    a = _atan_unit(np.where(hi > 0, lo / np.where(hi > 0, hi, 1.0), 0.0))
    a = np.where(ay > ax, math.pi / 2.0 - a, a)
    a = np.where(x < 0, math.pi - a, a)
    return np.where(y < 0, -a, a)
