"""Pure: one account (bot.items.accounts) as a line in the reader's language, Telegram HTML.

What a claim says is rendered from its structured fields — the speaker's entity name, a stance verb,
figures with what they count, places in the reader's spelling, the day — so that a report in another
language reads in the reader's: "Russia claims: more than 600 soldiers killed, Kramatorsk, 8 January".
The report's own words follow: as they are when one report is in the reader's language; else a
machine translation when there is one (marked as such); else the original words marked with their
language, where they add something beyond the figures and places. Every feed string is escaped."""

from __future__ import annotations

import re
from datetime import date

from babel import Locale
from babel.dates import format_date

from bot.digests.tgtext import escape, link
from bot.i18n import N_, Nn_, number, t, translations

CASUALTIES = ("killed", "wounded", "dead_or_wounded")
WHO = ("soldiers", "civilians", "people", "children")
COUNTS = ("killed", "wounded", "dead_or_wounded", "soldiers", "civilians", "people", "children", "drones", "missiles",
          "km", "miles", "tanks", "vehicles", "aircraft", "prisoners", "buildings", "villages", "attacks", "shells")
WORDS = 160
PLURAL_NOUNS = frozenset({"authorities", "officials", "forces", "autoriteiten", "functionarissen", "strijdkrachten"})
_WORD = re.compile(r"\w+")

# Ids picked at run time, written out for `pybabel extract` (it reads literal ids only).
PHRASES = (
    Nn_("n.killed", "n.killed.plural"), Nn_("n.wounded", "n.wounded.plural"),
    Nn_("n.dead_or_wounded", "n.dead_or_wounded.plural"), Nn_("n.soldiers", "n.soldiers.plural"),
    Nn_("n.civilians", "n.civilians.plural"), Nn_("n.people", "n.people.plural"),
    Nn_("n.children", "n.children.plural"), Nn_("n.drones", "n.drones.plural"),
    Nn_("n.missiles", "n.missiles.plural"), Nn_("n.km", "n.km.plural"), Nn_("n.miles", "n.miles.plural"),
    Nn_("n.tanks", "n.tanks.plural"), Nn_("n.vehicles", "n.vehicles.plural"),
    Nn_("n.aircraft", "n.aircraft.plural"), Nn_("n.prisoners", "n.prisoners.plural"),
    Nn_("n.buildings", "n.buildings.plural"), Nn_("n.villages", "n.villages.plural"),
    Nn_("n.attacks", "n.attacks.plural"), Nn_("n.shells", "n.shells.plural"),
    Nn_("n.killed.soldiers", "n.killed.soldiers.plural"), Nn_("n.killed.civilians", "n.killed.civilians.plural"),
    Nn_("n.killed.people", "n.killed.people.plural"), Nn_("n.killed.children", "n.killed.children.plural"),
    Nn_("n.wounded.soldiers", "n.wounded.soldiers.plural"),
    Nn_("n.wounded.civilians", "n.wounded.civilians.plural"), Nn_("n.wounded.people", "n.wounded.people.plural"),
    Nn_("n.wounded.children", "n.wounded.children.plural"), N_("q.more_than"), N_("q.at_least"), N_("q.about"),
    N_("q.up_to"), N_("q.nearly"), N_("q.less_than"), N_("q.dozens"), N_("q.hundreds"), N_("q.thousands"),
    N_("q.none"),
    N_("stance.claims"),
    # used inside f-strings, where the extractor does not look
    N_("words.translated"), N_("disagree.header"), N_("side.outlet"), Nn_("item.more", "item.more.plural"),
    N_("disagree.denial.claim"), N_("stance.assert.plural"), N_("stance.claims.plural"), N_("stance.deny.plural"),
    N_("stance.confirm.plural"), N_("stance.report.plural"),
)


def _plural(lang: str, msgid: str, count: float, shown: str) -> str | None:
    """A counted phrase with the count written as `shown` (a number, or a word such as "hundreds")."""
    catalog = translations(lang)
    text = catalog.ngettext(msgid, msgid + ".plural", int(count) if count == int(count) else 2)
    return None if text in (msgid, msgid + ".plural") else text.format(count=shown)


def figure(lang: str, n: dict, qualified: bool = True) -> str | None:
    """'more than 600 soldiers killed', 'honderden doden': one figure in the reader's language."""
    counts, who, value, qualifier = n.get("counts"), n.get("who"), n.get("value"), n.get("qualifier")
    if counts not in COUNTS:
        return None
    msgid = f"n.{counts}.{who}" if counts in ("killed", "wounded") and who in WHO else f"n.{counts}"
    if value is None:
        if qualifier not in ("dozens", "hundreds", "thousands"):
            return None
        return _plural(lang, msgid, 100, t(lang, f"q.{qualifier}"))
    if value == 0:  # "no one was hurt": "no wounded", "geen gewonden"
        return _plural(lang, msgid, 2, t(lang, "q.none"))
    shown = number(lang, value)
    if qualified and qualifier in ("more_than", "at_least", "about", "up_to", "nearly", "less_than"):
        shown = t(lang, f"q.{qualifier}", n=shown)
    return _plural(lang, msgid, value, shown)


def figures(lang: str, numbers: list[dict], limit: int = 2, qualified: bool = True) -> list[str]:
    """The account's figures, casualties first."""
    ordered = sorted(numbers, key=lambda n: (n.get("counts") not in CASUALTIES, n.get("value") is None))
    shown = [f for f in (figure(lang, n, qualified) for n in ordered) if f]
    return list(dict.fromkeys(shown))[:limit]


def short_day(lang: str, iso: str | None) -> str | None:
    """'8 January', '8 januari'."""
    return format_date(date.fromisoformat(iso), "d MMMM", locale=lang) if iso else None


def facts(lang: str, account: dict) -> str:
    """Figures, places and the day, as the reader writes them (a denial: what it denies says it)."""
    if account["stance"] == "deny":
        return escape(", ".join(account["place_names"][:2]), inline=True)
    parts = figures(lang, account["numbers"]) + account["place_names"][:2]
    day = short_day(lang, account["event_date"])
    return escape(", ".join(parts + ([day] if day else [])), inline=True)


def speaker(lang: str, account: dict) -> str:
    """The speaker's name for the reader (never a pronoun), bold."""
    name = account["speaker"] or t(lang, "speaker.unnamed")
    return f"<b>{escape(name[:1].upper() + name[1:], inline=True)}</b>"  # it opens the line


def verb(lang: str, account: dict) -> str:
    """The stance as a verb of the reader's language, agreeing with the speaker; a figure is claimed."""
    stance = "claims" if account["stance"] == "assert" and account["numbers"] else account["stance"]
    return t(lang, f"stance.{stance}" + (".plural" if plural(account.get("speaker")) else ""))


def plural(name: str | None) -> bool:
    """Whether a speaker's name takes a plural verb ("Ukrainian regional authorities say")."""
    return bool(name) and name.split()[-1].lower() in PLURAL_NOUNS


def contentful(lang: str, account: dict) -> bool:
    """Whether a short line can say what the account says: figures, or words the reader reads."""
    return bool(figures(lang, account["numbers"]) or account["stance"] == "deny"
                or any(r["language"] == lang and r["text"] or r.get("translation") for r in account["reports"]))


def _cut(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _adds(text: str) -> bool:
    """Whether a report's words say more than a few words (its figures and places are rendered)."""
    return len(_WORD.findall(text or "")) >= 1


def _best(reports: list[dict]) -> dict | None:
    """The wording most outlets carry (syndicated copies agree), then the one read first."""
    texts = [r["text"] for r in reports]
    return max(reports, key=lambda r: (texts.count(r["text"]), -reports.index(r)), default=None)


def words(lang: str, account: dict, limit: int = WORDS) -> tuple[str, bool]:
    """The account's words for the reader, and whether they are the reader's language."""
    own = _best([r for r in account["reports"] if r["language"] == lang and r["text"]])
    if own is not None:
        return escape(_cut(own["text"], limit), inline=True), True
    other = next((r for r in account["reports"] if r.get("translation")), None)
    if other is not None:
        text = escape(_cut(other["translation"], limit), inline=True)
        source = Locale.parse(lang).languages.get(other["language"], other["language"])
        return f"{text} <i>({escape(t(lang, 'words.translated', source=source))})</i>", False
    other = next((r for r in account["reports"] if _adds(r["text"])), None)
    if other is None:
        return "", False
    return f"<i>«{escape(_cut(other['text'], limit), inline=True)}»</i> ({escape(other['language'])})", False


def outlets(lang: str, account: dict, limit: int = 6) -> str:
    """Every outlet that reported it, linked, with its language where it is not the reader's."""
    seen: dict[str, str] = {}
    for report in account["reports"]:
        if report["outlet"] not in seen:
            mark = f" ({escape(report['language'])})" if report["language"] and report["language"] != lang else ""
            seen[report["outlet"]] = link(report["url"], escape(_cut(report["outlet"], 60), inline=True)) + mark
    shown = list(seen.values())
    more = f" +{number(lang, len(shown) - limit)}" if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more


def denied_text(lang: str, target: dict | None) -> str:
    """What a denial denies, plain: "the figure of 600 soldiers killed", "the claim of the Wagner Group"."""
    if target is None:
        return ""
    found = figures(lang, target["numbers"], limit=1, qualified=False)
    if found:
        return t(lang, "deny.figure", figure=found[0])
    return t(lang, "deny.claim", speaker=target["speaker"] or t(lang, "speaker.unnamed"))


def denied(lang: str, target: dict | None) -> str:
    """What a denial denies, escaped."""
    return escape(denied_text(lang, target), inline=True)


def line(lang: str, account: dict, by_id: dict[int, dict], compact: bool = False) -> str:
    """One account: speaker, verb, what it says (or denies), its words, every outlet, one mark."""
    said, readable = words(lang, account, 90 if compact else WORDS)
    if compact and not readable and not any(r.get("translation") for r in account["reports"]):
        said = ""  # a digest line: its figures and places say it; another language's words wait in the full item
    body = [said] if readable else [p for p in (facts(lang, account), said) if p]
    if account["side"] == "outlet":
        head = ""
    else:
        head = f"{speaker(lang, account)} {escape(verb(lang, account))}"
        if account["stance"] == "deny":
            what = denied(lang, by_id.get(account["denies"]))
            head += f" {what}" if what else ""
    text = " — ".join(body)
    said = f"{head}: {text}" if head and text else head or text
    mark = f" <i>({t(lang, 'mark.' + account['mark'])})</i>" if account["mark"] else ""
    return f"• {said} — {outlets(lang, account, 2 if compact else 6)}{mark}"


def disagreement(lang: str, accounts: list[dict], found: list[dict], limit: int = 2) -> str:
    """Which claims disagree, in one line ("" when none do)."""
    by_id = {a["id"]: a for a in accounts}
    parts: list[str] = []
    deniers: dict[int, list[str]] = {}
    for d in found:
        if d["kind"] == "denial" and d["target"] in by_id and d["by"] in by_id:
            name = by_id[d["by"]]["speaker"] or t(lang, "speaker.unnamed")
            deniers.setdefault(d["target"], [])
            if name not in deniers[d["target"]]:
                deniers[d["target"]].append(name)
    for target, names in deniers.items():
        who = by_id[target]["speaker"] or t(lang, "speaker.unnamed")
        found_figures = figures(lang, by_id[target]["numbers"], limit=1, qualified=False)
        if found_figures:
            said = t(lang, "disagree.denial", what=denied_text(lang, by_id[target]), speaker=who, by=", ".join(names))
        else:
            said = t(lang, "disagree.denial.claim", speaker=who, by=", ".join(names))
        parts.append(escape(said, inline=True))
    for d in (d for d in found if d["kind"] == "figures"):
        a, b = by_id[d["a"]], by_id[d["b"]]
        fa = next(iter(figures(lang, [n for n in a["numbers"] if n["counts"] == d["counts"]], 1)), "")
        fb = next(iter(figures(lang, [n for n in b["numbers"] if n["counts"] == d["counts"]], 1)), "")
        parts.append(escape(t(lang, "disagree.figures", a=fa, sa=a["speaker"] or "", b=fb, sb=b["speaker"] or ""),
                            inline=True))
    if not parts:
        return ""
    return f"⚠️ {escape(t(lang, 'disagree.header'))}: " + "; ".join(dict.fromkeys(parts[:limit]))

