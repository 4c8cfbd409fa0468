"""LAB-frame phase-space sampler for g g -> gamma gamma g with detector cuts (SPEC section 8).

PDF-free: ln(tau) uniform, partonic rapidity uniform, flat three-body phase space (RAMBO) in
the partonic frame, a boost along the beam, a polish step that makes the kinematics exactly
massless and balanced to ~1 ulp, photon pT ordering and the cuts of `CUTS`.

Output momenta have shape (N, 5, 4), rows (g_in +z, g_in -z, leading photon, subleading
photon, g_out), columns (E, px, py, pz) in GeV. The transcendental functions come from
`portable_math`, so the same seed gives the same bytes on every machine.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import portable_math as pm

#: Candidates drawn per batch. Fixed (not derived from n), so that the events of
#: ``sample_events(n, seed)`` are the first n of ``sample_events(m, seed)`` for any m > n.
BATCH = 1 << 15


@dataclasses.dataclass(frozen=True)
class Cuts:
    """Generation-level selection (GeV; eta = pseudorapidity; dR = sqrt(d eta^2 + d phi^2))."""

    name: str
    sqrt_s: float
    pt_photon_min: float
    pt_photon_lead_min: float
    eta_photon_max: float
    pt_jet_min: float
    eta_jet_max: float
    dr_photon_photon_min: float
    dr_photon_jet_min: float

    @property
    def sqrt_shat_min(self) -> float:
        """2 * max(pT thresholds): the smallest partonic energy that can pass (SPEC 8.2 step 1)."""
        return 2.0 * max(self.pt_photon_min, self.pt_photon_lead_min, self.pt_jet_min)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


CUTS = {
    # Aylett-Bullock, Badger, Moodie, arXiv:2106.09474 (SPEC 8.1)
    "2106.09474": Cuts("2106.09474", 1000.0, 10.0, 40.0, 2.37, 20.0, 5.0, 0.4, 0.4),
    # generic 13 TeV selection
    "generic-13TeV": Cuts("generic-13TeV", 13000.0, 20.0, 20.0, 2.5, 20.0, 2.5, 0.4, 0.4),
}
DEFAULT_CUTS = "2106.09474"


def get_cuts(cuts: "str | Cuts") -> Cuts:
    """Resolve a cut set given by name (see `CUTS`) or as a `Cuts` instance."""
    if isinstance(cuts, Cuts):
        return cuts
    try:
        return CUTS[cuts]
    except KeyError:
        raise ValueError(f"unknown cut set {cuts!r}; choose one of {sorted(CUTS)}") from None


def _rambo3(sqrt_shat: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Three massless momenta (B, 3, 4) with total (sqrt_shat, 0, 0, 0), flat phase space.

    u: uniform numbers (B, 3, 4) in [0, 1).
    """
    c = 2.0 * u[..., 0] - 1.0
    cphi, sphi = pm.cos_sin_2pi(u[..., 1])
    q0 = -pm.log((1.0 - u[..., 2]) * (1.0 - u[..., 3]))
    st = np.sqrt(np.maximum(1.0 - c * c, 0.0))
    q = np.stack([q0, q0 * st * cphi, q0 * st * sphi, q0 * c], axis=-1)
    qsum = q.sum(axis=1)
    mass = np.sqrt(qsum[:, 0] ** 2 - (qsum[:, 1:] ** 2).sum(axis=1))
    b = -qsum[:, 1:] / mass[:, None]
    gamma = qsum[:, 0] / mass
    a = 1.0 / (1.0 + gamma)
    x = sqrt_shat / mass
    bq = (b[:, None, :] * q[..., 1:]).sum(axis=2)
    p = np.empty_like(q)
    p[..., 0] = x[:, None] * (gamma[:, None] * q[..., 0] + bq)
    p[..., 1:] = x[:, None, None] * (q[..., 1:] + b[:, None, :] * q[..., 0:1] + (a[:, None] * bq)[..., None] * b[:, None, :])
    return p


def _candidates(rng: np.random.Generator, n: int, cuts: Cuts) -> np.ndarray:
    """n candidate events (n, 5, 4) before cuts (SPEC 8.2 steps 1-7)."""
    u = rng.random((n, 14))
    s_had = cuts.sqrt_s**2
    ln_tau_min = math.log(cuts.sqrt_shat_min**2 / s_had)
    ln_tau = ln_tau_min * (1.0 - u[:, 0])  # uniform on (ln tau_min, 0]
    y = 0.5 * ln_tau * (1.0 - 2.0 * u[:, 1])  # uniform on [ln tau / 2, -ln tau / 2]
    sqrt_shat = cuts.sqrt_s * pm.exp(0.5 * ln_tau)
    out = _rambo3(sqrt_shat, u[:, 2:].reshape(n, 3, 4))
    # boost along z with rapidity y
    ey = pm.exp(y)
    ch, sh = 0.5 * (ey + 1.0 / ey), 0.5 * (ey - 1.0 / ey)
    e, pz = out[..., 0].copy(), out[..., 3].copy()
    out[..., 0] = e * ch[:, None] + pz * sh[:, None]
    out[..., 3] = e * sh[:, None] + pz * ch[:, None]
    # polish: exact transverse balance, exact masslessness, incoming from the outgoing sums
    pt2 = out[..., 1] ** 2 + out[..., 2] ** 2
    lead = np.argmax(pt2, axis=1)
    rows = np.arange(n)
    resid = out[..., 1:3].sum(axis=1)
    out[rows, lead, 1:3] -= resid
    out[..., 0] = np.sqrt((out[..., 1:] ** 2).sum(axis=2))
    e_tot = out[..., 0].sum(axis=1)
    p_z = out[..., 3].sum(axis=1)
    ev = np.zeros((n, 5, 4))
    ev[:, 0, 0] = ev[:, 0, 3] = 0.5 * (e_tot + p_z)
    ev[:, 1, 0] = 0.5 * (e_tot - p_z)
    ev[:, 1, 3] = -ev[:, 1, 0]
    # photons = RAMBO momenta 1, 2 ordered by pT; gluon = momentum 3
    pta = out[:, 0, 1] ** 2 + out[:, 0, 2] ** 2
    ptb = out[:, 1, 1] ** 2 + out[:, 1, 2] ** 2
    swap = ptb > pta
    ev[:, 2] = np.where(swap[:, None], out[:, 1], out[:, 0])
    ev[:, 3] = np.where(swap[:, None], out[:, 0], out[:, 1])
    ev[:, 4] = out[:, 2]
    return ev


def transverse_momentum(p: np.ndarray) -> np.ndarray:
    """pT = sqrt(px^2 + py^2) of (..., 4) momenta (GeV)."""
    return np.sqrt(p[..., 1] ** 2 + p[..., 2] ** 2)


def pseudorapidity(p: np.ndarray) -> np.ndarray:
    """eta = 1/2 ln((|p| + pz)/(|p| - pz)) of (..., 4) momenta (portable log)."""
    mod = np.sqrt(p[..., 1] ** 2 + p[..., 2] ** 2 + p[..., 3] ** 2)
    return 0.5 * pm.log((mod + p[..., 3]) / (mod - p[..., 3]))


def delta_r(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """sqrt(d eta^2 + d phi^2), d phi folded into [0, pi], for (..., 4) momenta."""
    deta = pseudorapidity(p) - pseudorapidity(q)
    cross = p[..., 1] * q[..., 2] - p[..., 2] * q[..., 1]
    dot = p[..., 1] * q[..., 1] + p[..., 2] * q[..., 2]
    dphi = np.abs(pm.atan2(cross, dot))
    return np.sqrt(deta * deta + dphi * dphi)


def passes_cuts(momenta: np.ndarray, cuts: "str | Cuts" = DEFAULT_CUTS) -> np.ndarray:
    """Boolean mask (N,) of the events (N, 5, 4) that pass the selection (SPEC 8.1, 8.2 step 8)."""
    c = get_cuts(cuts)
    p = np.asarray(momenta, dtype=np.float64)
    g1, g2, j = p[:, 2], p[:, 3], p[:, 4]
    pt1, pt2, ptj = transverse_momentum(g1), transverse_momentum(g2), transverse_momentum(j)
    ok = (np.maximum(pt1, pt2) > c.pt_photon_lead_min) & (np.minimum(pt1, pt2) > c.pt_photon_min)
    ok &= ptj > c.pt_jet_min
    with np.errstate(divide="ignore", invalid="ignore"):
        ok &= (np.abs(pseudorapidity(g1)) < c.eta_photon_max) & (np.abs(pseudorapidity(g2)) < c.eta_photon_max)
        ok &= np.abs(pseudorapidity(j)) < c.eta_jet_max
        ok &= delta_r(g1, g2) > c.dr_photon_photon_min
        ok &= (delta_r(g1, j) > c.dr_photon_jet_min) & (delta_r(g2, j) > c.dr_photon_jet_min)
    ok &= (p[:, 0, 0] <= 0.5 * c.sqrt_s) & (p[:, 1, 0] <= 0.5 * c.sqrt_s)
    return ok


def sample_events(
    n: int, seed: "int | np.random.SeedSequence", cuts: "str | Cuts" = DEFAULT_CUTS, *, return_stats: bool = False
):
    """Draw n events (n, 5, 4) float64, GeV, that pass ``cuts`` (SPEC 8.2).

    seed: an int or a ``numpy.random.SeedSequence`` for ``numpy.random.default_rng``; the same
    seed and cuts give the same bytes. Events are kept in generation order. With
    ``return_stats`` also returns ``{"generated": ..., "accepted": ...}`` (acceptance of the cuts).
    """
    if int(n) != n or n < 0:
        raise ValueError(f"sample_events: n must be a non-negative integer, got {n!r}")
    n = int(n)
    c = get_cuts(cuts)
    rng = np.random.default_rng(seed)
    kept, have, generated = [], 0, 0
    while have < n:
        cand = _candidates(rng, BATCH, c)
        generated += BATCH
        acc = cand[passes_cuts(cand, c)]
        kept.append(acc)
        have += len(acc)
    out = np.concatenate(kept)[:n] if kept else np.zeros((0, 5, 4))
    out = np.ascontiguousarray(out)
    if return_stats:
        # count the candidates actually consumed up to the n-th accepted event
        return out, {"generated": generated, "accepted": have}
    return out
