"""The nbgrader round trip in a temporary course: release, submit, autograde, read the gradebook.

A small, fast pass of its own (the corpus of tests/test_grading_corpus.py grades many more)."""

import nbformat
import pytest

from course import REPO, SOLUTION, autograde, grades, make_course, max_points, release, replace_in_cell, submit
from source_helpers.data import DEFAULT_DIR, ensure_dataset

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    data_dir = ensure_dataset(REPO / DEFAULT_DIR, progress=False)
    course = make_course(tmp_path_factory.mktemp("course") / "course")
    released = release(course)
    assert released.is_file()
    solution = nbformat.read(SOLUTION, as_version=4)
    submit(course, "alice", solution)
    submit(course, "carol", replace_in_cell(solution, "loss", "+ 0.5 * logsig2)", "+ logsig2)"))
    autograde(course, data_dir)
    return course


def test_solution_scores_full_marks(graded_course):
    assert grades(graded_course, "alice") == max_points()


def test_one_wrong_task_loses_exactly_its_points(graded_course):
    got, full = grades(graded_course, "carol"), max_points()
    lost = {k for k in full if got[k] != full[k]}
    assert lost == {"test-loss-values", "test-loss-exact"}, got
    assert all(got[k] == 0 for k in lost)
