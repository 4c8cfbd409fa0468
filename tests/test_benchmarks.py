"""The benchmark scripts run; the device check executes the notebook without Jupyter."""

import importlib.util
import json
import re
import subprocess
import sys

import pytest

from course import REPO, SOLUTION, env


def _load(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook(path, sources):
    cells = [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
             for i, s in enumerate(sources)]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_code_cells_run_in_order_in_one_namespace(tmp_path):
    device = _load("notebook_on_device")
    nb = _notebook(tmp_path / "nb.ipynb", ["import os\nhere = os.getcwd()", "x = 2", "y = x * 21"])
    namespace, seconds = device.run_notebook(nb)
    assert namespace["y"] == 42 and namespace["here"] == str(tmp_path) and seconds >= 0
    assert [cid for cid, _ in device.code_cells(SOLUTION)] == [
        c["id"] for c in json.loads(SOLUTION.read_text())["cells"] if c["cell_type"] == "code"]


def test_a_failing_cell_is_named(tmp_path, capsys):
    device = _load("notebook_on_device")
    nb = _notebook(tmp_path / "nb.ipynb", ["x = 1", "raise ValueError('broken cell')"])
    with pytest.raises(ValueError, match="broken cell"):
        device.run_notebook(nb)
    assert "cell c1 failed" in capsys.readouterr().err


@pytest.mark.slow
def test_solution_notebook_runs_as_a_script():
    """What a GPU machine without Jupyter runs; here on the CPU, with the short training."""
    e = env()
    e.pop("BAYES_AMP_DATA_DIR", None)
    proc = subprocess.run([sys.executable, "benchmarks/notebook_on_device.py", "--quick", "--compare-cpu"],
                          cwd=REPO, env=e, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "(5 epochs) on cpu" in out
    for key in ("test_mse_logA", "median_abs_delta", "pull_width", "coverage_68"):
        assert f"{key}:" in out
    assert "trn_dat.npy:" in out and "\ncpu " in out


def test_benchmark_trains_the_notebooks_recipe():
    """benchmarks/training_throughput.py times the notebook's recipe, so the two must not drift apart."""
    recipe = _load("training_throughput").NOTEBOOK_RECIPE
    code = "\n".join(source for _, source in _load("notebook_on_device").code_cells(SOLUTION))

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
    activations = re.findall(r"BayesLinear\(\w+, \w+\), nn\.(\w+)\(\)", code)
    assert {a.lower() for a in activations} == {recipe.activation}
    assert len(re.findall(r"BayesLinear\(hdn_dim, hdn_dim\)", code)) == recipe.n_hidden
