"""Processes starting at once on a database that has no tables yet: the migrations run one process
at a time (a file lock on SQLite here; PostgreSQL's advisory lock in test_soak.py's simultaneous
start), and every process starts, the schema at head."""

from __future__ import annotations

from tests import soak_stages


def test_processes_starting_at_once_on_a_fresh_sqlite_database_all_start(tmp_path):
    outcome = soak_stages.simultaneous_start(f"sqlite:///{tmp_path / 'unused.db'}", 3, tmp_path, rounds=2)
    assert outcome.lost == 0, outcome.line()
