"""Run the solution notebook as a plain script, without Jupyter: the check for a GPU machine.

    python benchmarks/notebook_on_device.py [--quick] [--compare-cpu] [--notebook PATH]

Machines that lend a GPU often have torch, numpy and matplotlib but no Jupyter. This script
executes the code cells of the solution notebook in order, in one namespace, with matplotlib's
non-interactive Agg backend and the notebook's folder as working directory, exactly as the
kernel would (hidden-test cells included). It prints

* the torch version and the device the notebook picked (``DEVICE``);
* the dataset's sha256 digests (generated on this machine if missing, and compared with the
  manifest: the same seed gives the same files, bit for bit, on every machine);
* wall times: data, the whole notebook, its main training (``train_seconds``);
* the notebook's headline numbers (test split);
* with ``--compare-cpu``: the notebook's recipe (`NOTEBOOK_RECIPE` of training_throughput.py)
  trained once on the CPU and once on the GPU, same data and seed, with wall times.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
DEFAULT_NOTEBOOK = REPO / "solutions" / "tutorial-1" / "bayesian_amplitude_regression.ipynb"


def code_cells(notebook: Path) -> list[tuple[str, str]]:
    """(cell id or index, source) of every code cell, in order."""
    nb = json.loads(notebook.read_text())
    return [(cell.get("id") or str(i), "".join(cell["source"]))
            for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"]


def run_notebook(notebook: Path) -> tuple[dict, float]:
    """Execute the notebook's code cells; returns (its namespace, wall seconds)."""
    namespace: dict = {"__name__": "__main__"}
    cwd = os.getcwd()
    os.chdir(notebook.parent)
    t0 = time.perf_counter()
    try:
        for cell_id, source in code_cells(notebook):
            try:
                exec(compile(source, f"<cell {cell_id}>", "exec"), namespace)  # noqa: S102
            except Exception:
                print(f"cell {cell_id} failed", file=sys.stderr)
                raise
    finally:
        os.chdir(cwd)
    return namespace, time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", type=Path, default=DEFAULT_NOTEBOOK)
    parser.add_argument("--quick", action="store_true", help="short training (BAYES_AMP_QUICK=1)")
    parser.add_argument("--compare-cpu", action="store_true", help="also time the recipe on the CPU and the GPU")
    args = parser.parse_args()
    os.environ["MPLBACKEND"] = "Agg"
    if args.quick:
        os.environ["BAYES_AMP_QUICK"] = "1"

    import torch

    from source_helpers.data import ensure_dataset, find_data_dir, read_manifest

    print(f"torch {torch.__version__}; cuda available: {torch.cuda.is_available()}"
          + (f" ({torch.cuda.get_device_name()})" if torch.cuda.is_available() else ""), flush=True)
    t0 = time.perf_counter()
    cwd = os.getcwd()
    os.chdir(args.notebook.parent)  # find the dataset the way the notebook does
    try:
        path = ensure_dataset(find_data_dir(), progress=False).resolve()
    finally:
        os.chdir(cwd)
    print(f"dataset {path} ready in {time.perf_counter() - t0:.1f} s; sha256:")
    for name, entry in sorted(read_manifest(path)["files"].items()):
        print(f"  {name}: {entry['sha256']}")

    # the notebook's last cell prints its headline numbers
    namespace, seconds = run_notebook(args.notebook)
    print(f"\nnotebook: {seconds:.1f} s in all, training {namespace['train_seconds']:.1f} s "
          f"({namespace['N_EPOCHS']} epochs) on {namespace['DEVICE']}")

    if args.compare_cpu:
        from training_throughput import METRICS_HEADER, NOTEBOOK_RECIPE, measure, metrics_row

        from source_helpers.data import load_split
        from source_helpers.training import preprocess

        devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
        splits = {s: load_split(path, s) for s in ("trn", "val", "tst")}
        recipe = dataclasses.replace(NOTEBOOK_RECIPE, epochs=5) if args.quick else NOTEBOOK_RECIPE
        print(f"\n{'device':7s} {'threads':>7s} {'wall [s]':>9s} {METRICS_HEADER}")
        for device in devices:
            wall, h = measure(recipe, preprocess(splits, device=device))
            print(f"{device:7s} {torch.get_num_threads():7d} {wall:9.1f} {metrics_row(h)}", flush=True)


if __name__ == "__main__":
    main()
