"""An item's stored profile (bot.items.profile) stays bounded however many reports it takes in, each
with its own numbers, names, figures and copies, and is stored alike whatever order its counts were
made in (set order changes with PYTHONHASHSEED). Counted, never timed (issue 17: an item of 50 reports
of the growth bench stored 47 KB, most of it every counted number it had seen)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from bot.items.group import Features, Profile, signature

DAY = date(2023, 3, 14)
ROOT = Path(__file__).resolve().parent.parent


def report(n: int) -> Features:
    """A report of one story with figures, names and counted numbers of its own."""
    numbers = tuple(sorted((float(1000 + 8 * n + k), ("killed", "wounded", "drones")[k % 3]) for k in range(8)))
    names = tuple(sorted({f"name{n}x{k}" for k in range(4)} | {"vale"}))
    terms = tuple(sorted({("strike", 0.6), ("kramatorsk", 0.5), (f"word{n % 40}", 0.3)}))
    return Features(n, "en", DAY, DAY, DAY, True, (("kramatorsk", 4),), numbers, ("ua.military", f"actor{n % 7}"),
                    signature(f"the strike on the city report {n} words {n} more"), f"hash{n:04d}",
                    ("strike",), (), terms, names, tuple(float(1000 + 3 * n + k) for k in range(3)))


def stored(reports: int) -> str:
    profile = Profile.new(report(0))
    for n in range(1, reports):
        profile.add(report(n))
    return json.dumps(profile.to_dict())


def test_the_stored_profile_of_150_reports_is_no_larger_than_of_60():
    sizes = {n: len(stored(n)) for n in (2, 60, 150)}
    assert sizes[150] <= 1.02 * sizes[60], sizes  # every report's 8 numbers kept: 1.9 times as large
    data = json.loads(stored(150))
    assert data["articles"] == 150 and len(data["numbers"]) <= 60 and len(data["names"]) <= 60
    assert len(data["hashes"]) <= 50 and len(data["signatures"]["en"]) <= 4


def test_what_a_share_of_the_reports_name_is_kept_past_the_cap():
    profile = Profile.new(report(0))
    for n in range(1, 150):
        profile.add(report(n))
    back = Profile.from_dict(json.loads(json.dumps(profile.to_dict())))
    assert back.names["vale"] == 150 and back.articles == 150
    assert {"ua.military", *(f"actor{k}" for k in range(7))} <= set(back.actors)


def test_equal_counts_cut_at_the_cap_alike_in_any_order():
    names = [(f"n{k:03d}", 1) for k in range(100)]
    one, other = Profile(DAY, DAY), Profile(DAY, DAY)
    one.names, other.names = Counter(dict(names)), Counter(dict(reversed(names)))
    orders = (range(90), range(89, -1, -1))
    one.numbers, other.numbers = (Counter({(float(k), "killed"): 2 for k in order}) for order in orders)
    assert json.dumps(one.to_dict()) == json.dumps(other.to_dict())


def test_a_profile_is_stored_alike_under_any_hash_seed():
    script = ("import json, sys; sys.path.insert(0, '.'); from tests.test_profile_kept import stored; "
              "print(stored(120))")
    outputs = {subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and json.loads(outputs.pop())["articles"] == 120
