"""Kinematics for g g -> gamma gamma g: validation, invariants and spinor products.

Conventions (SPEC sections 1-2):

* momenta arrays have shape (N, 5, 4), rows = (g_in +z, g_in -z, leading photon,
  subleading photon, outgoing gluon), columns = (E, px, py, pz) in GeV, LAB frame,
  incoming rows with positive energy;
* the amplitude uses all-outgoing momenta k1 = -p1, k2 = -p2, k3..k5 = p3..p5;
* metric (+, -, -, -); s_ij = 2 k_i.k_j (GeV^2);
* spinor products with the light-cone axis along x, and the factor i for incoming legs.
"""

from __future__ import annotations

import numpy as np

N_LEGS = 5
INCOMING = (0, 1)
METRIC = np.array([1.0, -1.0, -1.0, -1.0])

# Default tolerances of `validate_momenta`, relative to the event's energy scale.
MASS_TOLERANCE = 1e-7
CONSERVATION_TOLERANCE = 1e-9


def validate_momenta(
    momenta,
    *,
    mass_tol: float = MASS_TOLERANCE,
    conservation_tol: float = CONSERVATION_TOLERANCE,
    name: str = "momenta",
) -> np.ndarray:
    """Check a batch of g g -> gamma gamma g events and return it as float64 (N, 5, 4).

    Raises ValueError naming the first offending event and what is wrong with it:
    wrong shape, non-finite entries, non-positive incoming energies, |p_i^2| above
    ``mass_tol * E_scale^2`` or momentum non-conservation above ``conservation_tol * E_scale``,
    where ``E_scale = E_1 + E_2`` of that event.
    """
    p = np.asarray(momenta)
    if p.ndim == 2 and p.shape == (N_LEGS, 4):
        raise ValueError(f"{name}: got a single event of shape (5, 4); pass a batch of shape (N, 5, 4), e.g. {name}[None]")
    if p.ndim != 3 or p.shape[1:] != (N_LEGS, 4):
        raise ValueError(
            f"{name}: expected shape (N, 5, 4) = (events, particles [g g y y g], (E, px, py, pz)); got {p.shape}"
        )
    if not np.issubdtype(p.dtype, np.floating):
        raise ValueError(f"{name}: expected a floating-point array, got dtype {p.dtype}")
    p = p.astype(np.float64, copy=False)
    bad = ~np.isfinite(p).all(axis=(1, 2))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}: event {i} has non-finite entries (NaN or inf): {p[i].tolist()}")
    e_in = p[:, INCOMING, 0]
    bad = (e_in <= 0).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{name}: event {i} has a non-positive incoming energy {e_in[i].tolist()}; "
            "rows 0 and 1 are the incoming gluons with their physical, positive energy"
        )
    scale = e_in.sum(axis=1)
    m2 = minkowski_square(p)
    rel_m2 = np.abs(m2) / scale[:, None] ** 2
    bad = (rel_m2 > mass_tol).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        j = int(np.argmax(rel_m2[i]))
        raise ValueError(
            f"{name}: event {i}, particle {j} is not massless: p^2 = {m2[i, j]:.3e} GeV^2 "
            f"(relative {rel_m2[i, j]:.1e} > tolerance {mass_tol:.0e})"
        )
    balance = p[:, 0] + p[:, 1] - p[:, 2:].sum(axis=1)
    rel_bal = np.abs(balance).max(axis=1) / scale
    bad = rel_bal > conservation_tol
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{name}: event {i} does not conserve momentum: p1 + p2 - p3 - p4 - p5 = "
            f"{balance[i].tolist()} GeV (relative {rel_bal[i]:.1e} > tolerance {conservation_tol:.0e})"
        )
    return p


def minkowski_square(p: np.ndarray) -> np.ndarray:
    """p^2 = E^2 - |p|^2 for (..., 4) arrays (GeV^2)."""
    return p[..., 0] ** 2 - (p[..., 1:] ** 2).sum(axis=-1)


def crossed_momenta(p: np.ndarray) -> np.ndarray:
    """All-outgoing momenta k (N, 5, 4): k1 = -p1, k2 = -p2, k3..k5 = p3..p5 (SPEC 1.3)."""
    k = p.copy()
    k[:, INCOMING] *= -1.0
    return k


def invariants(p: np.ndarray) -> np.ndarray:
    """s_ij = (k_i + k_j)^2 = 2 k_i.k_j (N, 5, 5) from LAB momenta p (N, 5, 4), GeV^2.

    Computed directly from the four-vectors (SPEC 1.4); the diagonal is zero.
    """
    k = crossed_momenta(p)
    s = 2.0 * np.einsum("nia,njb,ab->nij", k, k, np.diag(METRIC), optimize=True)
    idx = np.arange(N_LEGS)
    s[:, idx, idx] = 0.0
    return s


def spinor_products(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Angle and square spinor products <ij>, [ij] (each complex (N, 5, 5), GeV) of SPEC 2.1.

    rho_i = sqrt(q0 + qx), omega_i = qz - i qy for the positive-energy q_i = sign(k0_i) k_i,
    eta_i = 1 (outgoing) or i (incoming), a_ij = omega_i rho_j/rho_i - omega_j rho_i/rho_j,
    <ij> = eta_i eta_j a_ij and [ij] = -eta_i eta_j conj(a_ij), so that <ij>[ji] = s_ij.
    """
    q = p  # LAB rows already carry positive energy: q_i = p_i for every leg
    rho = np.sqrt(q[..., 0] + q[..., 1])
    omega = q[..., 3] - 1j * q[..., 2]
    eta = np.ones(N_LEGS, dtype=np.complex128)
    eta[list(INCOMING)] = 1j
    eta2 = eta[:, None] * eta[None, :]
    a = _pair_a(omega, rho)
    ang = eta2 * a
    sq = -eta2 * np.conj(a)
    return ang, sq


def _pair_a(omega: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """a_ij = omega_i rho_j / rho_i - omega_j rho_i / rho_j, shape (N, 5, 5)."""
    oi = omega[:, :, None]
    oj = omega[:, None, :]
    ri = rho[:, :, None]
    rj = rho[:, None, :]
    return oi * rj / ri - oj * ri / rj
