"""The solution notebook (nbgrader source) and the generated student notebook."""

import filecmp
import json

import nbformat
import pytest

from course import ASSIGNMENT, RELEASE, SOLUTION, make_course, max_points, release


@pytest.fixture(scope="module")
def solution():
    return nbformat.read(SOLUTION, as_version=4)


@pytest.fixture(scope="module")
def student():
    return nbformat.read(RELEASE, as_version=4)


def test_committed_student_notebook_is_the_generated_one(tmp_path):
    course = make_course(tmp_path / "course")
    generated = release(course, "--no-db")
    assert filecmp.cmp(generated, RELEASE, shallow=False), (
        "notebooks/ is out of date with solutions/: run `make release` and commit the result"
    )


def test_student_notebook_has_no_outputs_or_solutions(student):
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        assert "BEGIN SOLUTION" not in cell.source and "HIDDEN TESTS" not in cell.source


def test_todo_prompts_kept(student):
    text = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    for prompt in ["#TODO: Build the layer", "# TODO: Build the loss function (neg_log_gauss)",
                   "#TODO: define the bayesian regression net", "#TODO: actually build the network",
                   "#TODO: check this is true", "# TODO: Write the training loop", "# TODO: plot the losses"]:
        assert prompt in text, prompt
    assert text.count("raise NotImplementedError()") == 12  # one stub per answer cell


def test_nbgrader_metadata(solution):
    ids = []
    for cell in solution.cells:
        meta = cell.metadata.get("nbgrader")
        if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source:
            assert meta and meta["solution"] and not meta["grade"], cell.source[:60]
        if meta:
            ids.append(meta["grade_id"])
            assert meta["schema_version"] == 3
            if meta["grade"]:
                assert meta["locked"] and meta["points"] > 0
        if cell.cell_type == "code" and "HIDDEN TESTS" in cell.source:
            assert meta and meta["grade"]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    points = max_points()
    # every task of the tutorial carries points
    for gid in ["test-layer-structure", "test-layer-moments", "test-layer-try", "test-loss-values", "test-dims",
                "test-network-kl", "test-build", "test-vary", "test-train-epoch", "test-train-loop",
                "test-loss-plot", "test-study-predict", "test-study"]:
        assert points[gid] > 0, gid


def test_solution_notebook_is_diff_clean(solution):
    # only the cell tagged for nbval keeps its (deterministic) output
    for cell in solution.cells:
        if cell.cell_type == "code" and cell.outputs:
            assert "nbval-check-output" in cell.metadata.get("tags", []), cell.source[:60]
    assert json.loads(SOLUTION.read_text())["nbformat"] == 4

