"""Pure: an item's stored claims → the accounts a reader sees. One account per speaker entity and
thing said, listing every outlet and language that reported it; what each denial denies; which
accounts disagree; and the order in which they matter (what carries the event first).

Two claims are one account when one entity (an actor id; the outlet's own reporting counts as one
voice) says the same thing with the same stance: the same figure for the same count at a compatible
place, or near-identical wording within one language; denials of one entity that answer the same
account are one denial. Merging across languages goes by the structured fields only: wording is
never compared across languages (no translation is needed to merge, and none is trusted to).

Headlines are summaries of the body: a claim read from an article's headline is dropped when the
body of that article holds an attributed claim (the body says it in full, with its speaker); it
stays only for an article whose body attributes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from bot.items.naming import account_speaker
from bot.nlp.lexicon import lexicon

CASUALTIES = frozenset({"killed", "wounded", "dead_or_wounded"})
SIDES = ("RU", "UA", "other", "outlet")
SIMILAR = 0.7  # word-set overlap (Jaccard) above which two wordings in one language say the same
NUMBER_TOLERANCE = 0.1
DENY_VERBS = ("den", "ontk", "spreekt", "wijst", "rejects", "rejected")  # verbs that say only "denies"
_WORDS = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORDS.findall(text or ""))


def similar(a: str, b: str) -> bool:
    """Near-identical wording (the same sentence syndicated, or copied with a word changed)."""
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= SIMILAR


def entity(claim: dict) -> str:
    """Who speaks, as one key: the actor; an unknown speaker by its words; the outlets as one voice."""
    if claim["actor"] == "outlet" or not claim["speaker"]:
        return "outlet"
    if claim["actor"] == "unknown":
        return "unknown:" + " ".join(sorted(_words(claim["speaker"])))
    return claim["actor"]


def figures(numbers: list[dict]) -> frozenset[tuple[str, float]]:
    """The counted figures of a claim: (what it counts, value)."""
    return frozenset((n["counts"], float(n["value"])) for n in numbers if n.get("value") is not None)


def _same_facts(a: dict, claim: dict, mine: frozenset, theirs: frozenset) -> bool:
    """Whether a claim says what an account says; mine and theirs are their figures (made once each)."""
    if mine and theirs:
        shared = {c for c, _ in mine & theirs}
        places = set(a["places"]) & set(claim["places"]) or not a["places"] or not claim["places"]
        return bool(shared & CASUALTIES or (mine == theirs)) and bool(places)
    return any(r["language"] == claim["language"] and similar(r["text"], claim["text"]) for r in a["reports"])


def _new(claim: dict) -> dict:
    return {"id": claim["id"], "claims": [claim["id"]], "entity": entity(claim), "actor": claim["actor"],
            "side": "outlet" if entity(claim) == "outlet" else claim["side"], "stance": claim["stance"],
            "speakers": [], "numbers": list(claim["numbers"]),
            "places": list(claim["places"]), "event_date": claim["event_date"], "reports": [], "denies": None,
            "disputed": False, "unverified": False, "headline_only": True}


def _add(account: dict, claim: dict) -> None:
    if claim["id"] not in account["claims"]:
        account["claims"].append(claim["id"])
    spoken = [claim["speaker"], claim["language"]]
    if claim["speaker"] and spoken not in account["speakers"]:
        account["speakers"].append(spoken)
    known = figures(account["numbers"])
    account["numbers"] += [n for n in claim["numbers"] if n.get("value") is None or (n["counts"], float(n["value"])) not in known]
    account["places"] = sorted(set(account["places"]) | set(claim["places"]))
    account["disputed"] |= claim["disputed"]
    account["unverified"] |= claim["unverified"]
    account["headline_only"] &= claim.get("headline", False)
    if not any(r["url"] == claim["article_url"] and r["text"] == claim["text"] for r in account["reports"]):
        account["reports"].append({"outlet": claim["outlet"], "language": claim["language"], "url": claim["article_url"],
                                   "text": _said(claim), "claim": claim["id"]})


def _said(claim: dict) -> str:
    """The words of a claim; a denial's with its verb when that is not a plain "denies" ("calls it
    propaganda"), since what it calls the claim is what it says."""
    cue, text = (claim.get("cue") or "").strip(), claim["text"] or ""
    if claim["stance"] != "deny" or not text:
        return text
    if cue[:1].isalpha() and not cue.lower().startswith(DENY_VERBS):
        return f"{cue} {text}"
    # "denied that any soldiers were killed": without its "that" the words would say the opposite
    that = next(iter(_subordinators(claim["language"])), "")
    return text if not that or text.lower().startswith(that + " ") else f"{that} {text}"


def _subordinators(lang: str | None) -> list[str]:
    try:
        return list(lexicon(lang or "").raw.get("subordinators", []))
    except ValueError:  # a language we do not read
        return []


def shown_claims(claims: list[dict]) -> list[dict]:
    """The claims that are claims: headline ones only where the article's body attributes nothing."""
    attributed_body = {c["article_id"] for c in claims if c["speaker"] and not c.get("headline")}
    return [c for c in claims if not (c.get("headline") and c["article_id"] in attributed_body)]


def _near(a: str | None, b: str | None) -> bool:
    return a is None or b is None or abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 1


def _target(denial: dict, by_claim: dict[int, dict], accounts: list[dict], claims: list[dict]) -> dict | None:
    """The account a denial answers: the claim it names when that has figures; else the other side's
    figures in the same article (a denial answers the figure, not the aside next to it); else the
    claim it names; else the other side's weightiest statement of those days."""
    named = by_claim.get(denial.get("refers_to"))
    if named is not None and (named["stance"] == "deny" or named["side"] == denial["side"]):
        named = None
    if named is not None and any(f[0] in CASUALTIES for f in figures(named["numbers"])):
        return named
    here = [by_claim[c["id"]] for c in claims if c["article_id"] == denial["article_id"] and c["id"] in by_claim]
    counted = [a for a in here if a["side"] in ("RU", "UA") and a["side"] != denial["side"] and a["stance"] != "deny"
               and any(f[0] in CASUALTIES for f in figures(a["numbers"]))]
    if counted or named is not None:
        return min(counted, key=weight) if counted else named
    others = [a for a in accounts if a["side"] in ("RU", "UA") and a["side"] != denial["side"]
              and a["stance"] in ("assert", "report") and _near(a["event_date"], denial["event_date"])]
    return min(others, key=weight, default=None)


def _denied(target: dict | None) -> tuple | None:
    """What a denial answers, as a key: the casualty figures it denies, else the account itself."""
    if target is None:
        return None
    counted = frozenset(f for f in figures(target["numbers"]) if f[0] in CASUALTIES)
    return ("figures", counted) if counted else ("account", target["id"])


def weight(account: dict) -> tuple:
    """Sort key: figures, denials and admissions first; both sides before third parties and the
    outlets' own reporting; then the most reported; then the first said."""
    if figures(account["numbers"]) or any(n.get("qualifier") for n in account["numbers"]) \
            or account.get("denies_figures"):  # a figure, or the denial of one
        kind = 0
    elif account["stance"] in ("deny", "confirm"):
        kind = 1
    else:
        kind = 2
    group = {"RU": 0, "UA": 0, "other": 1}.get(account["side"], 2)
    side = SIDES.index(account["side"]) if account["side"] in SIDES else 2
    return (group, kind, side, -len({r["outlet"] for r in account["reports"]}), account["order"])


def build(claims: list[dict]) -> list[dict]:
    """The item's accounts, weightiest first (see weight)."""
    claims = shown_claims(claims)
    accounts: list[dict] = []
    by_claim: dict[int, dict] = {}
    # Each account's figures, made again only when a claim joins it: every claim is matched against
    # every account, and making them for each comparison made an item's cost grow with its square.
    known: dict[int, frozenset] = {}

    def place(claim: dict, match: Callable[[dict], bool]) -> None:
        account = next((a for a in accounts if match(a)), None)
        if account is None:
            account = _new(claim)
            account["order"] = len(accounts)  # the first said first, whatever the row ids
            accounts.append(account)
        _add(account, claim)
        known[id(account)] = figures(account["numbers"])
        by_claim[claim["id"]] = account

    for claim in (c for c in claims if c["stance"] != "deny"):
        place(claim, lambda a, c=claim, who=entity(claim), theirs=figures(claim["numbers"]):
              a["entity"] == who and a["stance"] == c["stance"] and _same_facts(a, c, known[id(a)], theirs))
    for claim in (c for c in claims if c["stance"] == "deny"):
        target = _target(claim, by_claim, accounts, claims)
        denied, key = (target["id"] if target else None), _denied(target)
        place(claim, lambda a, c=claim, k=key: a["entity"] == entity(c) and a["stance"] == "deny"
              and _denied(next((b for b in accounts if b["id"] == a["denies"]), None)) == k)
        if by_claim[claim["id"]]["denies"] is not None:
            continue  # a denial of the same figure said before: it keeps what it answered first
        by_claim[claim["id"]]["denies"] = denied
        by_claim[claim["id"]]["denies_figures"] = bool(key and key[0] == "figures")
    for account in accounts:
        account["mark"] = "disputed" if account["disputed"] else "unverified" if account["unverified"] else None
    return sorted(accounts, key=weight)


def _differ(a: float, b: float) -> bool:
    return abs(a - b) > NUMBER_TOLERANCE * max(abs(a), abs(b), 1.0)


def disagreements(accounts: list[dict]) -> list[dict]:
    """Which accounts disagree: a denial and what it denies; two sides' different figures for one count."""
    found = [{"kind": "denial", "target": a["denies"], "by": a["id"]} for a in accounts if a["denies"] is not None]
    sided = [a for a in accounts if a["side"] in ("RU", "UA")]
    for i, a in enumerate(sided):
        for b in sided[i + 1 :]:
            if a["side"] == b["side"] or not _near(a["event_date"], b["event_date"]):
                continue
            for counts, va in sorted(figures(a["numbers"])):
                vb = next((v for c, v in figures(b["numbers"]) if c == counts), None)
                if counts in CASUALTIES and vb is not None and _differ(va, vb):
                    found.append({"kind": "figures", "counts": counts, "a": a["id"], "b": b["id"]})
                    break
    return found


def named(claims: list[dict], lang: str, place_name: Callable[[str], str | None] = lambda slug: None) -> list[dict]:
    """The item's accounts with speakers and places named for a reader of `lang`."""
    found = build(claims)
    for account in found:
        account["speaker"] = account_speaker(account["actor"], [tuple(s) for s in account["speakers"]], lang)
        account["place_names"] = [n for n in (place_name(slug) for slug in account["places"]) if n]
    return found


def of_item(item: dict, lang: str) -> list[dict]:
    """An item's accounts: as lookup gave them, else made from its claims (data of an older shape)."""
    if "accounts" in item:
        return item["accounts"]
    claims = [{"id": n, "article_id": c.get("article_url"), "position": n, "refers_to": None, "headline": False,
               "places": [], "cue": None, **c} for n, c in enumerate(item.get("claims", []), 1)]
    item["accounts"] = named(claims, lang)
    item["disagreements"] = disagreements(item["accounts"])
    return item["accounts"]
