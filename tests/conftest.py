"""Shared fixtures: the reference files in ../shared/physics and a small generated dataset."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path:
    env = os.environ.get("BAYES_AMP_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO / "shared", REPO.parent / "shared"]
    for c in candidates:
        if (c / "physics" / "golden_public.npz").is_file():
            return c
    pytest.fail(
        "golden reference file not found: expected physics/golden_public.npz in ../shared or ./shared "
        "(or set BAYES_AMP_SHARED)"
    )


@pytest.fixture(scope="session")
def golden():
    with np.load(_shared_dir() / "physics" / "golden_public.npz") as g:
        return {k: g[k] for k in g.files}


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory):
    """A 400-event-per-split dataset written by the real generator."""
    from source_helpers.data import generate_dataset

    path = tmp_path_factory.mktemp("data") / "tutorial-1-data"
    generate_dataset(path, events_per_split=400, seed=99, progress=False)
    return path
