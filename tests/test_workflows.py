"""Student and instructor workflows: `make check` and `make autograde` (source_helpers.workflows)."""

import csv
import shutil

import nbformat
import pytest

from course import RELEASE, REPO, SOLUTION, make_course, max_points, replace_in_cell, submit
from source_helpers import workflows
from source_helpers.data import DEFAULT_DIR, ensure_dataset

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir():
    return ensure_dataset(REPO / DEFAULT_DIR, progress=False)


@pytest.fixture
def data_env(monkeypatch, data_dir):
    monkeypatch.setenv("BAYES_AMP_DATA_DIR", str(data_dir))


def test_check_passes_the_solution(tmp_path, data_env, capsys):
    nb = tmp_path / "solution.ipynb"
    shutil.copy(SOLUTION, nb)
    assert workflows.check(nb) == 0
    out = capsys.readouterr().out
    assert f"{len(max_points())} passed, 0 failed" in out


def test_check_fails_the_untouched_student_notebook(tmp_path, data_env, capsys):
    nb = tmp_path / "student.ipynb"
    shutil.copy(RELEASE, nb)
    assert workflows.check(nb) == 1
    out = capsys.readouterr().out
    assert "FAIL  test-layer-structure" in out and "not done yet: bayes-layer" in out


def test_check_explains_a_wrong_loss(tmp_path, data_env, capsys):
    wrong = replace_in_cell(nbformat.read(SOLUTION, as_version=4), "loss", "torch.mean(", "torch.sum(")
    nb = tmp_path / "wrong.ipynb"
    nbformat.write(wrong, nb)
    assert workflows.check(nb) == 1
    out = capsys.readouterr().out
    assert "FAIL  test-loss-values: GradingFailure: [Bayesian loss]" in out
    assert "the mean over the batch" in out


def test_check_rejects_missing_and_broken_files(tmp_path, capsys):
    assert workflows.check(tmp_path / "nope.ipynb") == 2
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json")
    assert workflows.check(broken) == 2
    assert "not a readable notebook" in capsys.readouterr().err


def test_autograde_writes_grades_and_feedback(tmp_path, data_dir, monkeypatch):
    course = make_course(tmp_path / "course")
    shutil.copytree(data_dir, course / DEFAULT_DIR)  # found from autograded/<student>/<assignment>/
    monkeypatch.delenv("BAYES_AMP_DATA_DIR", raising=False)
    solution = nbformat.read(SOLUTION, as_version=4)
    submit(course, "ada", solution)
    submit(course, "ben", replace_in_cell(solution, "network", "return kl / self.training_size", "return kl"))
    assert workflows.autograde(course, timeout=120) == 0
    with open(course / "grades.csv") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    total = sum(max_points().values())
    assert float(rows["ada"]["score"]) == total and rows["ada"]["status"] == "graded"
    assert float(rows["ben"]["score"]) == total - max_points()["test-network-kl"]
    with open(course / "grades_by_task.csv") as f:
        tasks = [r for r in csv.DictReader(f) if r["student"] == "ben" and r["task"] == "test-network-kl"]
    assert float(tasks[0]["score"]) == 0
    assert list((course / "feedback" / "ben" / "tutorial-1").glob("*.html"))
    assert (course / "notebooks" / "tutorial-1").is_dir()
