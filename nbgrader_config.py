"""nbgrader configuration of the bayes-amp course (the repository root is the course root).

source  = solutions/<assignment>/<notebook>.ipynb   (instructors' single source of truth)
release = notebooks/<assignment>/<notebook>.ipynb   (generated: `make release`)
"""

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets

c.CourseDirectory.root = "."
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# The student version carries no outputs and a plain "YOUR CODE HERE" stub in each answer cell.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.enforce_metadata = True

# Autograding executes each submission once; bound its time (a runaway cell cannot stall the
# course) and keep going after errors so that every task is graded.
c.ExecutePreprocessor.timeout = 300
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True

# A student cell that never returns must not stall grading: recover missing/edited test cells,
# and see tests/test_grading_safety.py for the runaway cases.
c.OverwriteCells.add_missing_cells = True
