"""The solution notebook (nbgrader source) and the generated student notebook."""

import filecmp
import json

import nbformat
import pytest

from course import ASSIGNMENT, RELEASE, REPO, SOLUTION, make_course, max_points, release


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


def test_benchmark_trains_the_notebooks_recipe(solution):
    """benchmarks/training_throughput.py times the notebook's recipe, so the two must not drift apart."""
    import importlib.util
    import re

    spec = importlib.util.spec_from_file_location("training_throughput", REPO / "benchmarks" / "training_throughput.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    recipe = bench.NOTEBOOK_RECIPE
    code = "\n".join("".join(c["source"]) for c in solution["cells"] if c["cell_type"] == "code")

    def number(pattern):
        match = re.search(pattern, code, re.MULTILINE)
        assert match, f"the notebook no longer sets {pattern!r}"
        return float(match.group(1))

    assert number(r"^N_EPOCHS = \d+ if QUICK else (\d+)") == recipe.epochs
    assert number(r"^BATCH_SIZE = (\d+)") == recipe.batch_size
    assert number(r"^LEARNING_RATE = ([0-9.e-]+)") == recipe.lr
    assert number(r"^hdn_dim = (\d+)") == recipe.hidden
    assert number(r"logsig2_w\.normal_\((-?[0-9.]+),") == recipe.init_logsig2
    assert number(r"OneCycleLR\(optimizer, .*pct_start=([0-9.]+)\)") == 0.1 and recipe.schedule == "onecycle"
    assert ("torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, fused=True)" in code) == recipe.fused_adam
    activations = set(re.findall(r"BayesLinear\(\w+, \w+\), nn\.(\w+)\(\)", code))
    assert activations == {recipe.activation.replace("silu", "SiLU").replace("relu", "ReLU").replace("gelu", "GELU")}
    assert len(re.findall(r"BayesLinear\(hdn_dim, hdn_dim\)", code)) == recipe.n_hidden
