"""Runaway and destructive submissions: each is bounded by the execution timeout and leaves the
other students' grades and the course files intact."""

import hashlib
import shutil

import nbformat
import pytest

from course import (
    ASSIGNMENT, NOTEBOOK, REPO, SOLUTION, grades, insert_after, make_course, max_points, nbgrader, release, submit,
)
from source_helpers.data import DEFAULT_DIR, ensure_dataset, verify_dataset

pytestmark = pytest.mark.slow
TIMEOUT = 30  # seconds per cell for this course; the notebook's cells take ~1 s in grading mode

RUNAWAYS = {
    "b-infinite-loop": "while True:\n    pass",
    "c-ignores-sigint": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    "d-sys-exit": "import sys\nsys.exit(1)",
    "a-deletes-files": (
        "import os, shutil\nfrom source_helpers.data import find_data_dir\n"
        "shutil.rmtree(find_data_dir(), ignore_errors=True)\n"
        "for f in os.listdir('.'):\n    os.remove(f) if os.path.isfile(f) else shutil.rmtree(f)"
    ),
    "e-patches-torch": "import torch\ntorch.exp = lambda x: x\ntorch.randn_like = torch.zeros_like",
}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("safety") / "course")
    shutil.copytree(ensure_dataset(REPO / DEFAULT_DIR, progress=False), course / DEFAULT_DIR)
    release(course)
    solution = nbformat.read(SOLUTION, as_version=4)
    for student, code in RUNAWAYS.items():
        where = "test-study" if student == "a-deletes-files" else "imports"
        submit(course, student, insert_after(solution, where, code))
    submit(course, "z-control", solution)
    protected = [course / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", course / "nbgrader_config.py",
                 course / "notebooks" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"]
    before = {p: _digest(p) for p in protected}
    # nbgrader reports failed students on stderr and carries on with the others
    proc = nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force",
                    f"--ExecutePreprocessor.timeout={TIMEOUT}", f"--Execute.timeout={TIMEOUT}", timeout=900,
                    ok_codes=(0, 1))
    return course, proc, before


def test_control_student_unaffected(graded):
    course, _, _ = graded
    assert grades(course, "z-control") == max_points()


def test_interruptible_loop_and_sys_exit_cost_nothing_else(graded):
    course, _, _ = graded
    assert grades(course, "b-infinite-loop") == max_points()
    assert grades(course, "d-sys-exit") == max_points()


def test_loop_ignoring_sigint_is_stopped_and_reported(graded):
    course, proc, _ = graded
    assert "c-ignores-sigint" in proc.stdout + proc.stderr
    assert not (course / "autograded" / "c-ignores-sigint" / ASSIGNMENT).exists()
    assert sum(grades(course, "c-ignores-sigint").values()) == 0


def test_deleting_files_harms_no_one_else(graded):
    course, _, before = graded
    assert all(_digest(p) == digest for p, digest in before.items())
    assert (course / "gradebook.db").is_file()
    assert (course / "submitted" / "a-deletes-files" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()
    verify_dataset(course / DEFAULT_DIR)  # regenerated for the students graded after the deletion
    assert grades(course, "a-deletes-files") == max_points()  # its own tests had run before


def test_patching_torch_only_costs_the_patcher(graded):
    course, _, _ = graded
    assert sum(grades(course, "e-patches-torch").values()) < sum(max_points().values())
    assert grades(course, "z-control") == max_points()
