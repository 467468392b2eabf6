"""A pronoun speaker resolved to an earlier one is stored, and shown, by the words that name that
speaker: "He said no one was hurt" after "…, governor Ivan Fedorko said" is Ivan Fedorko's claim,
never "he" and never only his side's generic label. Real databases; a story of our own."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.cli.groupeval import Labelled, store_labelled
from bot.items.stages import ReadAndGroup
from storage.models import Claim
from tests.helpers import Clock

STORY = Labelled("p1", "en", datetime(2023, 1, 8, 9, tzinfo=UTC), "Harbour Gazette (sample)",
                 "Shelling in Orikhiv", "Russian artillery shelled Orikhiv overnight, governor Ivan Fedorko said. "
                 "He said no one was hurt in the missile strike.")


def test_a_resolved_pronoun_is_stored_by_its_speakers_name(engine, cache_dir):
    ids = store_labelled(engine, [STORY])
    ReadAndGroup(engine, cache_dir, clock=Clock(datetime(2023, 1, 8, 10, tzinfo=UTC))).process(ids)
    with engine.connect() as conn:
        rows = conn.execute(select(Claim.speaker, Claim.content, Claim.speaker_start, Claim.speaker_end)
                            .order_by(Claim.position)).all()
    spoken = [(speaker, content) for speaker, content, _, _ in rows if speaker]
    assert [s for s, _ in spoken] == ["governor Ivan Fedorko"] * 2, rows
    assert "no one was hurt" in spoken[1][1]
    later = rows[[r.content for r in rows].index(spoken[1][1])]
    assert later.speaker_end - later.speaker_start == len("He")  # the offsets: where this sentence names it
