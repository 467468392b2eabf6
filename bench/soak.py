"""`make soak`: the load and fault scenarios at full size, on PostgreSQL (TEST_POSTGRES_URL).
TEST_POSTGRES_RESTART (set by the Makefile where pg_ctlcluster exists) restarts the server for the
two restart scenarios. Prints, per scenario, the load held, the faults injected, and the lost and
duplicated counts (all must be 0). Bounded in count and time; loopback only."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import soak  # noqa: E402


def main() -> int:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        print("set TEST_POSTGRES_URL (a PostgreSQL database) to run the soak scenarios")
        return 2
    cache = str(Path("data/cache").resolve())
    outcomes = []
    with tempfile.TemporaryDirectory() as work:
        outcomes.append(soak.fanout_under_rate_limits(soak.fresh_database(base), cache, 10_000))
        outcomes.append(soak.queries_during_ingest(soak.fresh_database(base), cache, 200))
        outcomes.append(soak.feed_dies_midway(soak.fresh_database(base), cache, 40))
        outcomes.append(soak.sigkill_mid_fanout(soak.fresh_database(base), cache, 600, Path(work)))
        restart = soak.restart_command()
        if restart:
            outcomes.append(soak.postgres_restart_during_ingest(soak.fresh_database(base), cache, 80, restart))
            outcomes.append(soak.postgres_restart_during_fanout(soak.fresh_database(base), cache, 600, restart))
    for outcome in outcomes:
        print(outcome.line())
    if not restart:
        print("PostgreSQL restarts: skipped (set TEST_POSTGRES_RESTART to the command that restarts the server)")
    return 0 if all(o.lost == 0 and o.duplicated == 0 for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
