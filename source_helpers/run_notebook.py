"""Execute a notebook headless into build/ (executed .ipynb and HTML) and print its headline.

    python -m source_helpers.run_notebook [NOTEBOOK] [--out build] [--quick]

The default notebook is the solution of the tutorial. The cell tagged ``headline`` prints the
headline numbers; they are echoed here. ``--quick`` sets BAYES_AMP_QUICK=1 (short training).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

DEFAULT_NOTEBOOK = Path("solutions") / "tutorial-1" / "bayesian_amplitude_regression.ipynb"


def cell_text(cell) -> str:
    """All stream and text/plain output of a code cell."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "text/plain" in out.get("data", {}):
            parts.append(out["data"]["text/plain"])
    return "".join(parts)


def save_figures(nb, folder: Path) -> list[Path]:
    """Write every PNG output of the notebook to ``folder``, named after its cell."""
    import base64

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, cell in enumerate(nb.cells):
        name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell{index:03d}"
        pngs = [o["data"]["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        for k, data in enumerate(pngs):
            path = folder / (f"{name}.png" if len(pngs) == 1 else f"{name}-{k + 1}.png")
            path.write_bytes(base64.b64decode(data))
            written.append(path)
    return written


def execute(notebook: Path, out_dir: Path, quick: bool = False, timeout: int = 1800):
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    env_before = os.environ.get("BAYES_AMP_QUICK")
    if quick:
        os.environ["BAYES_AMP_QUICK"] = "1"
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(notebook.parent)}})
        client.execute()
    finally:
        if quick:
            if env_before is None:
                os.environ.pop("BAYES_AMP_QUICK", None)
            else:
                os.environ["BAYES_AMP_QUICK"] = env_before
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / notebook.name
    nbformat.write(nb, executed)
    html, _ = HTMLExporter().from_notebook_node(nb)
    executed.with_suffix(".html").write_text(html, encoding="utf-8")
    return nb, executed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", nargs="?", default=str(DEFAULT_NOTEBOOK))
    parser.add_argument("--out", default="build")
    parser.add_argument("--quick", action="store_true", help="short training (BAYES_AMP_QUICK=1)")
    args = parser.parse_args(argv)
    notebook = Path(args.notebook)
    if not notebook.is_file():
        print(f"error: no notebook at {notebook}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    print(f"executing {notebook} ({'quick' if args.quick else 'full'} training) ...", flush=True)
    try:
        nb, executed = execute(notebook, Path(args.out), quick=args.quick)
    except Exception as err:  # noqa: BLE001 - report any execution failure plainly
        print(f"error: executing {notebook} failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    figures = save_figures(nb, Path(args.out) / "figures")
    print(f"wrote {executed}, {executed.with_suffix('.html').name} and {len(figures)} figures in "
          f"{Path(args.out) / 'figures'} ({time.perf_counter() - t0:.0f} s)")
    headline = [cell_text(c) for c in nb.cells if "headline" in c.get("metadata", {}).get("tags", [])]
    if headline:
        print("\nHeadline results (test split):")
        print("".join(headline).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
