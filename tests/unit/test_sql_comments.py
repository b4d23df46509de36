"""No SQL file names a parameter with ``@`` in a comment (docs/sql-conventions.md).

The BigQuery emulator counts an ``@name`` inside a comment as a parameter of the query and refuses it
("Parameter argument/count mismatch"), so a file that says ``-- Params: @game_date DATE`` cannot be run
against it on its own, and the combined reads (shared/sql/combined.py) would rename it.
"""

from __future__ import annotations

import re
from pathlib import Path

SQL_ROOT = Path(__file__).resolve().parents[2] / "shared" / "sql"
PARAMETER_IN_COMMENT = re.compile(r"--.*@[A-Za-z_]")


def test_no_sql_comment_names_a_parameter_with_an_at_sign() -> None:
    offending = [
        f"{path.relative_to(SQL_ROOT)}:{number}: {line.strip()}"
        for path in sorted(SQL_ROOT.rglob("*.sql"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PARAMETER_IN_COMMENT.search(line)
    ]
    assert not offending, "\n".join(offending)


def test_the_check_finds_a_parameter_in_a_comment() -> None:
    assert PARAMETER_IN_COMMENT.search("-- Params: @game_date DATE")
    assert PARAMETER_IN_COMMENT.search("WHERE a = 1  -- from @date_from")
    assert not PARAMETER_IN_COMMENT.search("WHERE game_date = @game_date")
