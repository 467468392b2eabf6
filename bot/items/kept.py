"""Items held decoded between the articles of a run, so that the thirty candidates an article is
scored against are not decoded from JSON again for every article (issue 17: decoding them took
5.8 s of the 88 s a replayed week spent settling, under a profiler, beside the ORM's reading of them).

What is held is exactly what a read of the stored row would give: an item's entry is made from the
row as read, or from the JSON its own write stored (encoded and decoded once, since what is stored is
the profile trimmed to its commonest values, not the one in memory). Each entry carries the item's
version, (article_count, updated_at): every write of an item raises its count and sets its time, so
a version the store still shows is the state held, and any other (another process's write, a merge)
is a miss and is read again. Entries are learnt only from committed transactions (handed over by
storage.itemqueries.after_commit), and the items an article changes are let go before they change.

Rejected: a version column (a migration, and a second counter kept beside the one every write already
raises); holding the Item objects of a session across sessions (detached objects, the ORM's flushes
and identity map: the cost this replaces)."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.items.profile import Profile

HOLD = 1000  # items held at most, least recently used let go first: a real week made 982, about 10 MB
Version = tuple[int, datetime]


@dataclass(slots=True)
class Held:
    """An item as grouping needs it: its profile decoded, the marks its claims keep (bot.items.disputes),
    its titles and whether it is disputed."""

    id: int
    version: Version | None  # None: not stored as it is now (a new item, or one being changed)
    profile: Profile
    marks: dict | None
    titles: dict
    disputed: bool


def decoded(item_id: int, version: Version, stored: dict, titles: dict, disputed: bool) -> Held:
    """An item from its stored values (its profile as JSON gives it back)."""
    return Held(item_id, version, Profile.from_dict(stored), stored.get("marks"), titles, disputed)


def as_stored(item_id: int, version: Version, stored: dict, titles: dict, disputed: bool) -> Held:
    """An item from the values its write sends: what reading them back would give."""
    stored, titles = json.loads(json.dumps(stored)), json.loads(json.dumps(titles))
    return decoded(item_id, version, stored, titles, disputed)


class Kept:
    """Held items by id, each valid at its version."""

    def __init__(self, size: int = HOLD) -> None:
        self.size = size
        self._held: OrderedDict[int, Held] = OrderedDict()

    def get(self, item_id: int, version: Version) -> Held | None:
        """The held item if the store still shows this version of it."""
        held = self._held.get(item_id)
        if held is None or held.version != version:
            return None
        self._held.move_to_end(item_id)
        return held

    def learn(self, found: dict[int, Held]) -> None:
        """Hold these items (from a committed transaction)."""
        for item_id, held in found.items():
            self._held[item_id] = held
            self._held.move_to_end(item_id)
        while len(self._held) > self.size:
            self._held.popitem(last=False)

    def forget(self, ids: Iterable[int]) -> None:
        """Let these items go (they are about to change)."""
        for item_id in ids:
            self._held.pop(item_id, None)

    def __len__(self) -> int:
        return len(self._held)
