"""Project files agree with each other: dependencies, pins, the README's commands."""

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower()


def _pyproject_deps():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"]) + [r for group in meta["optional-dependencies"].values() for r in group]
    return {_name(r): r for r in reqs}


def _environment_deps():
    deps = {}
    text = (REPO / "environment.yml").read_text()
    for line in text.split("\ndependencies:", 1)[1].splitlines():
        m = re.match(r"^\s+-\s+([^\s#]+)\s*$", line)
        if not m or m.group(1).endswith(":"):
            continue
        req = m.group(1)
        name = _name(req)
        if name in {"python", "pip", "-e"} or req.startswith("-e"):
            continue
        deps[name] = req
    return deps


def test_environment_yml_lists_the_same_packages_as_pyproject():
    assert set(_environment_deps()) == set(_pyproject_deps())


def test_torch_pinned_identically_everywhere():
    pin = _pyproject_deps()["torch"]
    assert re.fullmatch(r"torch==\d+\.\d+\.\d+", pin), "torch must be pinned exactly (a range pulls a CUDA build)"
    assert _environment_deps()["torch"] == pin


def test_required_packages_present():
    assert {"torch", "numpy", "matplotlib", "jupyter", "nbgrader", "pytest", "nbval", "tqdm"} <= set(_pyproject_deps())


def test_readme_starts_with_the_two_commands_and_ci_calls_the_test_one():
    head = (REPO / "README.md").read_text().split("\n## ")[0]
    assert "make run" in head and "make test" in head
    assert "make test" in (REPO / ".ci" / "run").read_text()
