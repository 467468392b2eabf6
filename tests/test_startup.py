"""Processes starting at once on a database that has no tables yet: the migrations run one process
at a time (an advisory lock on PostgreSQL, a file lock on SQLite), and every process starts."""

from __future__ import annotations

import pytest

from tests import soak
from tests.conftest import POSTGRES_URL


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_processes_starting_at_once_on_a_fresh_database_all_start(backend, tmp_path):
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    base = POSTGRES_URL if backend == "postgres" else f"sqlite:///{tmp_path / 'unused.db'}"
    outcome = soak.simultaneous_start(base, 3, tmp_path, rounds=2)  # each at head, none crashed
    assert outcome.lost == 0, outcome.line()
