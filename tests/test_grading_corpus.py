"""The autograder against a corpus of realistic wrong answers, alternative correct answers and
tampering, all graded in one nbgrader autograde pass (tests/grading/)."""

import importlib.util
import shutil
from pathlib import Path

import nbformat
import pytest

from course import (
    REPO, SOLUTION, TASKS, autograde, delete_cell, grades, insert_after, make_course, max_points, release,
    replace_cell, replace_in_cell, submit,
)
from source_helpers.data import DEFAULT_DIR, ensure_dataset

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent / "grading"


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


MUTANTS = {p.stem: _load(p) for p in sorted((HERE / "mutants").glob("*.py"))}
ALTERNATIVES = {p.stem: _load(p) for p in sorted((HERE / "alternatives").glob("*.py"))}

#: Points a mutant may lose outside its own task (knock-on effects), with the reason. Everything
#: else it loses must be in its own task. Now none: a layer whose outputs do not vary (noise drawn
#: once; sigma^2 used as sigma, which at the initial log sigma^2 = -25 leaves no visible noise) is
#: graded in the layer's cells, and the "outputs vary" cells do not charge that mistake again.
KNOCK_ON: dict[str, set[str]] = {}

_CELL_FOR = {"LAYER": "bayes-layer", "LOSS": "loss", "NETWORK": "network"}

_FAKE_COMPARISONS = """
import math, numpy, torch, torch.testing, numpy.testing
torch.allclose = lambda *a, **k: True
torch.testing.assert_close = lambda *a, **k: None
numpy.allclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
math.isclose = lambda *a, **k: True
"""

_FAKE_GRADING = """
import source_helpers.grading as _g
for _name in dir(_g):
    if _name.startswith("check_"):
        setattr(_g, _name, lambda *a, **k: None)
"""


def _submissions(solution, released):
    subs = {"solution": solution, "untouched": released}
    for name, mod in MUTANTS.items():
        nb = solution
        for cell, old, new in mod.CHANGES:
            nb = replace_in_cell(nb, cell, old, new)
        subs[f"m-{name}"] = nb
    for name, mod in ALTERNATIVES.items():
        nb = solution
        for attr, cell in _CELL_FOR.items():
            if hasattr(mod, attr):
                nb = replace_cell(nb, cell, getattr(mod, attr).strip("\n"))
        subs[f"a-{name}"] = nb
    wrong_loss = replace_in_cell(solution, "loss", " + 0.5 * logsig2)", ")")
    # tampering: deleted and edited test cells, replaced comparison functions, replaced checks
    edited = delete_cell(wrong_loss, "test-loss-values")
    edited = replace_cell(edited, "test-loss-exact", "pass")
    subs["t-tests-deleted-and-edited"] = edited
    subs["t-fake-comparisons"] = insert_after(wrong_loss, "loss", _FAKE_COMPARISONS)
    wrong_layer = replace_in_cell(solution, "bayes-layer", "torch.exp(0.5 * self.logsig2_w) * self.random",
                                  "torch.exp(self.logsig2_w) * self.random")
    subs["t-fake-grading"] = insert_after(wrong_layer, "bayes-layer", _FAKE_GRADING)
    return subs


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """Every submission of the corpus, graded in one autograde pass: {student: {grade_id: score}}."""
    data_dir = ensure_dataset(REPO / DEFAULT_DIR, progress=False)
    course = make_course(tmp_path_factory.mktemp("corpus") / "course")
    released = nbformat.read(release(course), as_version=4)
    subs = _submissions(nbformat.read(SOLUTION, as_version=4), released)
    for student, nb in subs.items():
        submit(course, student, nb)
    autograde(course, data_dir)
    return {student: grades(course, student) for student in subs}


def _lost(got):
    full = max_points()
    return {k for k in full if got[k] < full[k]}


def test_corpus_size():
    assert len(MUTANTS) >= 12 and len(ALTERNATIVES) >= 3


def test_solution_full_marks(corpus):
    assert corpus["solution"] == max_points()


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_loses_points_on_its_own_task(corpus, name):
    lost = _lost(corpus[f"m-{name}"])
    own = set(TASKS[MUTANTS[name].TASK])
    assert lost & own, f"{name} lost no points on its task {MUTANTS[name].TASK}: {corpus[f'm-{name}']}"
    assert lost - own <= KNOCK_ON.get(name, set()), f"{name}: unexpected knock-on losses {sorted(lost - own)}"


@pytest.mark.parametrize("name", sorted(ALTERNATIVES))
def test_alternative_scores_full(corpus, name):
    assert corpus[f"a-{name}"] == max_points(), _lost(corpus[f"a-{name}"])


def test_deleted_and_edited_tests_are_restored(corpus):
    assert _lost(corpus["t-tests-deleted-and-edited"]) == {"test-loss-values", "test-loss-exact"}


def test_fake_comparison_functions_do_not_fool_the_tests(corpus):
    assert _lost(corpus["t-fake-comparisons"]) == {"test-loss-values", "test-loss-exact"}


def test_replaced_checks_do_not_fool_the_tests(corpus):
    assert _lost(corpus["t-fake-grading"]) == {"test-layer-moments"}


def test_untouched_student_notebook_scores_zero(corpus):
    assert set(corpus["untouched"]) == set(max_points())
    assert sum(corpus["untouched"].values()) == 0, corpus["untouched"]


def test_report(corpus, capsys):
    """Print the table of what each submission lost (shown with -s; quoted in the docs)."""
    full = max_points()
    total = sum(full.values())
    with capsys.disabled():
        print(f"\n{'submission':40s} score / {total:g}  lost")
        for student, got in sorted(corpus.items()):
            lost = sorted(_lost(got))
            print(f"{student:40s} {sum(got.values()):5g}        {', '.join(lost)}")
