"""Reports and items as grouping sees them, with only the facts a test names (the grouping tests)."""

from __future__ import annotations

from datetime import date

from bot.items.group import Features, Profile, signature


def report(aid: int, lang: str, day: date, *, places=(), numbers=(), names=(), figures=(), actors=(),
           concepts=(), explicit=True, published=None) -> Features:
    """A report as grouping sees it, with only the facts a test names."""
    return Features(aid, lang, published or day, day, day, explicit, places, numbers, actors,
                    signature(f"report {aid} in {lang}"), f"h{aid}", concepts, names=names, figures=figures)


def item(*reports: Features) -> Profile:
    profile = Profile.new(reports[0])
    for r in reports[1:]:
        profile.add(r)
    return profile
