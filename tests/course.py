"""Helpers to build a throw-away nbgrader course around the repository's notebooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "tutorial-1"
NOTEBOOK = "bayesian_amplitude_regression"
SOLUTION = REPO / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
RELEASE = REPO / "notebooks" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
BIN = Path(sys.executable).parent


def env(data_dir: Path | None = None) -> dict:
    e = dict(os.environ)
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    e.pop("BAYES_AMP_QUICK", None)
    if data_dir is not None:
        e["BAYES_AMP_DATA_DIR"] = str(data_dir)
    return e


def nbgrader(course: Path, *args: str, data_dir: Path | None = None, timeout: int = 3000,
             ok_codes=(0,)) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(BIN / "nbgrader"), *args], cwd=course, env=env(data_dir), capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode not in ok_codes:
        raise AssertionError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def make_course(root: Path, with_db: bool = True) -> Path:
    """A course with the repository's config and solution notebook as its source."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    src = root / "solutions" / ASSIGNMENT
    src.mkdir(parents=True)
    shutil.copy(SOLUTION, src / SOLUTION.name)
    return root


def release(course: Path, *extra: str) -> Path:
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", *extra)
    return course / "notebooks" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"


def submit(course: Path, student: str, nb) -> None:
    dst = course / "submitted" / student / ASSIGNMENT
    dst.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dst / f"{NOTEBOOK}.ipynb")


def autograde(course: Path, data_dir: Path, *students: str) -> subprocess.CompletedProcess:
    args = ["autograde", ASSIGNMENT, "--create", "--force"]
    for s in students:
        args += ["--student", s]
    return nbgrader(course, *args, data_dir=data_dir)


def grades(course: Path, student: str) -> dict[str, float]:
    """{grade_id: score} of a student's autograded notebook, read from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        return {g.name: float(g.score) for g in nb.grades}


def max_points() -> dict[str, float]:
    nb = nbformat.read(SOLUTION, as_version=4)
    return {
        c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }


def replace_in_cell(nb, grade_id: str, old: str, new: str):
    """A copy of ``nb`` with ``old`` replaced by ``new`` in the cell ``grade_id`` (must occur)."""
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # a deep copy
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            if old not in c.source:
                raise AssertionError(f"{old!r} not in cell {grade_id}")
            c.source = c.source.replace(old, new)
            return nb
    raise AssertionError(f"no cell {grade_id}")


def replace_cell(nb, grade_id: str, source: str):
    """A copy of ``nb`` with the whole source of cell ``grade_id`` replaced."""
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            c.source = source
            return nb
    raise AssertionError(f"no cell {grade_id}")


def insert_after(nb, grade_id: str, source: str):
    """A copy of ``nb`` with a new (student) code cell after cell ``grade_id``."""
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)
    for i, c in enumerate(nb.cells):
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
            return nb
    raise AssertionError(f"no cell {grade_id}")


def delete_cell(nb, grade_id: str):
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


#: graded cells of each task of the tutorial
TASKS = {
    "layer": ("test-layer-structure", "test-layer-resample", "test-layer-moments", "test-layer-kl-gradients"),
    "layer-try": ("test-layer-try",),
    "loss": ("test-loss-values", "test-loss-exact"),
    "dims": ("test-dims",),
    "network": ("test-network-outputs", "test-network-kl"),
    "build": ("test-build",),
    "vary": ("test-vary",),
    "train-epoch": ("test-train-epoch",),
    "train-loop": ("test-train-loop",),
    "loss-plot": ("test-loss-plot",),
    "study": ("test-study-predict", "test-study"),
}
