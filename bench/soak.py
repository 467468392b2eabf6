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

from tests import fuzzfeeds, soak  # noqa: E402


def main() -> int:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        print("set TEST_POSTGRES_URL (a PostgreSQL database) to run the soak scenarios")
        return 2
    cache = str(Path("data/cache").resolve())
    restart = soak.restart_command()
    outcomes = []
    with tempfile.TemporaryDirectory() as work:
        scenarios = [
            lambda url: soak.fanout_under_rate_limits(url, cache, 10_000),
            lambda url: soak.queries_during_ingest(url, cache, 200),
            lambda url: soak.feed_dies_midway(url, cache, 40),
            lambda url: soak.sigkill_mid_fanout(url, cache, 600, Path(work)),
            lambda url: fuzzfeeds.soak_scenario(url, Path(cache) / "fuzz", 1500, 240),
        ]
        if restart:
            scenarios += [lambda url: soak.postgres_restart_during_ingest(url, cache, 80, restart),
                          lambda url: soak.postgres_restart_during_fanout(url, cache, 600, restart)]
        for scenario in scenarios:
            with soak.fresh_database(base) as url:
                outcomes.append(scenario(url))
    for outcome in outcomes:
        print(outcome.line())
    if not restart:
        print("PostgreSQL restarts: skipped (set TEST_POSTGRES_RESTART to the command that restarts the server)")
    return 0 if all(o.lost == 0 and o.duplicated == 0 for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
