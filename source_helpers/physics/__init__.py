"""Exact one-loop g g -> gamma gamma g physics (SPEC.md in shared/physics).

- `kinematics`: input validation, invariants s_ij, spinor products <ij>, [ij]
- `special`: lnrat, L0, L1, L2, Li2, Ls1 with their stable series
- `amplitudes`: primitive amplitudes, helicity sum, |M|^2; the g g -> gamma gamma box
- `phase_space`: LAB-frame sampler with detector cuts
- `portable_math`: bit-reproducible exp/log/sin/cos/atan2 for the sampler
"""

from .amplitudes import (
    HELICITIES,
    HELICITY_LABELS,
    helicity_amplitudes,
    helicity_sum,
    squared_amplitude,
    squared_amplitude_gg_aa,
)
from .kinematics import invariants, spinor_products, validate_momenta
from .phase_space import CUTS, Cuts, passes_cuts, sample_events

__all__ = [
    "CUTS",
    "Cuts",
    "HELICITIES",
    "HELICITY_LABELS",
    "helicity_amplitudes",
    "helicity_sum",
    "invariants",
    "passes_cuts",
    "sample_events",
    "spinor_products",
    "squared_amplitude",
    "squared_amplitude_gg_aa",
    "validate_momenta",
]
