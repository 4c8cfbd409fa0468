"""bayes-amp helpers: physics of g g -> gamma gamma g, the tutorial dataset, the reference
Bayesian network, plots and grading checks.

Modules: `source_helpers.physics` (amplitude and phase space), `source_helpers.data` (files,
manifest, loading).
"""

__version__ = "0.1.0"
