"""Course workflows behind `make check` (students) and `make autograde` (instructors).

    python -m source_helpers.workflows check NOTEBOOK [--full]
        Run a notebook (quick training unless --full) and its visible tests; print, per graded
        task, whether it passes and why not; exit 1 if any task fails. (nbgrader's own
        `validate` always exits 0, so it cannot gate anything.)

    python -m source_helpers.workflows autograde [--assignment tutorial-1] [--timeout 300]
        Grade every submission under submitted/ with nbgrader (hidden tests restored from the
        source, missing test cells re-added), write feedback HTML under feedback/, the totals to
        grades.csv and the per-task scores to grades_by_task.csv, and list failed submissions.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

ASSIGNMENT = "tutorial-1"


def _error_line(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            value = str(out.get("evalue", "")).strip().splitlines()
            return f"{out.get('ename', 'Error')}: {value[-1] if value else ''}".strip()
    return None


def _task_name(cell, index: int) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index}"


def check(notebook: Path, full: bool = False, timeout: int = 600) -> int:
    """Execute ``notebook`` and report its graded cells; returns the exit code."""
    import nbformat
    from nbclient import NotebookClient

    if not notebook.is_file():
        print(f"error: no notebook at {notebook}", file=sys.stderr)
        return 2
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as err:  # noqa: BLE001 - a broken file gets a plain message
        print(f"error: {notebook} is not a readable notebook ({err})", file=sys.stderr)
        return 2
    saved = os.environ.get("BAYES_AMP_QUICK")
    if not full:
        os.environ["BAYES_AMP_QUICK"] = "1"
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(notebook.parent.resolve())}})
        client.execute()
    except Exception as err:  # noqa: BLE001 - e.g. a cell that ran past the timeout
        print(f"error: running {notebook} stopped: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    finally:
        if saved is None:
            os.environ.pop("BAYES_AMP_QUICK", None)
        else:
            os.environ["BAYES_AMP_QUICK"] = saved

    failures, passed = [], 0
    pending = []
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        error = _error_line(cell) if cell.get("cell_type") == "code" else None
        if meta.get("solution") and error and error.startswith("NotImplementedError"):
            pending.append(_task_name(cell, index))
        if not meta.get("grade"):
            continue
        if error:
            failures.append((_task_name(cell, index), error))
        else:
            passed += 1
    for name, error in failures:
        print(f"FAIL  {name}: {error}")
    if pending:
        print(f"not done yet: {', '.join(pending)}")
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


def _run(args, course: Path, timeout: int | None = None):
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(args, cwd=course, env=env, text=True, timeout=timeout)


def autograde(course: Path, assignment: str = ASSIGNMENT, timeout: int = 300) -> int:
    """Autograde all submissions of ``assignment`` in ``course``; returns the exit code."""
    from nbgrader.api import Gradebook

    course = course.resolve()
    submitted = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{assignment}"))
    if not submitted:
        print(f"no submissions: expected submitted/<student>/{assignment}/*.ipynb under {course}", file=sys.stderr)
        return 2
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    # registers the assignment and its test cells in the gradebook (and refreshes the release)
    _run([nbgrader, "generate_assignment", assignment, "--force"], course)
    grade = _run([nbgrader, "autograde", assignment, "--create", "--force",
                  f"--ExecutePreprocessor.timeout={timeout}", f"--Execute.timeout={timeout}"], course)
    _run([nbgrader, "generate_feedback", assignment, "--force"], course)

    failed = [s for s in submitted if not (course / "autograded" / s / assignment).is_dir()]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        rows, task_rows = [], []
        for student in submitted:
            try:
                sub = gb.find_submission(assignment, student)
            except Exception:  # noqa: BLE001 - never graded
                rows.append((student, "", "", "not graded"))
                continue
            status = "failed: see the autograde log" if student in failed else "graded"
            rows.append((student, f"{sub.score:g}", f"{sub.max_score:g}", status))
            for nb in sub.notebooks:
                for g in nb.grades:
                    task_rows.append((student, nb.name, g.name, f"{g.score:g}", f"{g.max_score:g}"))
    with open(course / "grades.csv", "w", newline="") as f:
        csv.writer(f).writerows([("student", "score", "max_score", "status"), *rows])
    with open(course / "grades_by_task.csv", "w", newline="") as f:
        csv.writer(f).writerows([("student", "notebook", "task", "score", "max_score"), *task_rows])
    for student, score, max_score, status in rows:
        print(f"{student:30s} {score:>6s} / {max_score:<6s} {status}")
    print(f"wrote {course / 'grades.csv'}, {course / 'grades_by_task.csv'} and feedback/ for {len(rows)} submissions")
    if failed:
        print(f"grading failed for: {', '.join(failed)} (a cell ran past the {timeout} s timeout, or the kernel died)")
    return 1 if failed or grade.returncode not in (0, 1) else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m source_helpers.workflows", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="run a notebook's visible tests")
    p_check.add_argument("notebook", type=Path)
    p_check.add_argument("--full", action="store_true", help="full training instead of the quick mode")
    p_grade = sub.add_parser("autograde", help="grade every submission under submitted/")
    p_grade.add_argument("--course", type=Path, default=Path("."))
    p_grade.add_argument("--assignment", default=ASSIGNMENT)
    p_grade.add_argument("--timeout", type=int, default=300, help="seconds per cell (default %(default)s)")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.notebook, full=args.full)
    return autograde(args.course, args.assignment, args.timeout)


if __name__ == "__main__":
    raise SystemExit(main())
