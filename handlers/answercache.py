"""Rendered answers kept for the next reader who asks the same: /<place>, /date and an item's
"more" button, keyed by (what was asked, page, language) and held with the store's newest change
(storage.lookups.newest_change) as it was when the answer was made. A change of any item (an
article joining, a merge, new dispute marks) moves that mark, and every answer kept before it is
dropped on its next look-up: an answer is never older than the items it is read from. What the
mark does not see shows with the next item change: an outlet renamed (`feeds add --name` on a feed
already listed) and a translation kept by another process. An answer still waiting for a translation
here is not kept (handlers.places).

Most readers ask about the same few places and days, and an answer costs tens of milliseconds of
building (claims into accounts, naming, rendering) against one index probe to check the mark."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from bot.digests.replies import Reply

SIZE = 512  # answers kept at most (the least recently asked go first): a few kilobytes each


class AnswerCache:
    """Answers by key, each valid for one mark of the store; safe to share between worker threads."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.kept: OrderedDict[Hashable, tuple[Hashable, tuple]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, mark: Hashable) -> list[Reply] | None:
        """The answer kept for `key` when the store is still at `mark` (fresh Reply objects, which the
        caller may change), else None (and an outdated answer is dropped)."""
        with self.lock:
            found = self.kept.get(key)
            if found is None:
                return None
            if found[0] != mark:
                del self.kept[key]
                return None
            self.kept.move_to_end(key)
        return [Reply(text, [list(row) for row in buttons]) for text, buttons in found[1]]

    def put(self, key: Hashable, mark: Hashable, replies: list[Reply]) -> None:
        """Keep an answer made while the store was at `mark` (a copy: the caller's objects stay its own)."""
        frozen = tuple((r.text, tuple(tuple(row) for row in r.buttons)) for r in replies)
        with self.lock:
            self.kept[key] = (mark, frozen)
            self.kept.move_to_end(key)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)

    def __len__(self) -> int:
        with self.lock:
            return len(self.kept)
