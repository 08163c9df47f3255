"""One-line figures a test wants in the run's output, passing or not (the form fuzz's counts).

pytest captures what a passing test prints, and under xdist a worker's output never reaches
the terminal at all.  ``summary_line`` keeps the line; ``tests/conftest.py`` attaches it to the
test's report (which xdist sends to the controller) and prints every such line in a
"figures" section at the end of the run, under ``-q`` and ``-n 2`` too.
"""

from __future__ import annotations

PENDING: list[str] = []
KEY = "clms_summary"


def summary_line(line: str) -> None:
    PENDING.append(line)
