"""What the command line shows a person: rich tables of feeds, runs and articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.ingest.pipeline import FeedReport
from storage.models import Article, Feed

STATUS_STYLE = {"ok": "green", "warning": "yellow", "empty": "cyan", "not_modified": "blue", "error": "red"}


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "–"


def _status(status: str | None) -> str:
    return f"[{STATUS_STYLE.get(status or '', 'white')}]{status or 'never fetched'}[/]"


def run_table(reports: Sequence[FeedReport]) -> Table:
    """One line per feed of a run: new / not modified / error."""
    table = Table(title="Ingest run", show_lines=False)
    for column in ("feed", "status", "new", "seen", "filtered", "s", "note"):
        table.add_column(column, justify="right" if column in ("new", "seen", "filtered", "s") else "left")
    for r in sorted(reports, key=lambda r: r.name):
        table.add_row(escape(r.name), _status(r.status), str(r.new), str(r.seen), str(r.filtered),
                      f"{r.seconds:.2f}", escape(r.message or ""))
    return table


def run_summary(reports: Sequence[FeedReport]) -> str:
    """The closing line of a run."""
    by = {s: sum(r.status == s for r in reports) for s in ("ok", "warning", "empty", "not_modified", "error")}
    return (f"{len(reports)} feeds: {sum(r.new for r in reports)} new articles; "
            f"{by['ok'] + by['warning'] + by['empty']} fetched, {by['not_modified']} not modified, "
            f"{by['error']} errors")


def feeds_table(rows: Sequence[tuple[Feed, int]]) -> Table:
    """Each feed's state and last error, for `feeds list`."""
    table = Table(title="Feeds")
    for column in ("name", "lang", "state", "articles", "errors", "last fetch", "next fetch", "url / last error"):
        table.add_column(column)
    for feed, count in rows:
        state = _status(feed.last_status) if feed.active else "[red]inactive[/]"
        detail = escape(feed.url) + (f"\n[red]{escape(feed.last_error)}[/]" if feed.last_error else "")
        table.add_row(escape(feed.name), feed.language or "auto", state, str(count), str(feed.error_count),
                      _when(feed.last_fetched_at), _when(feed.next_fetch_at), detail)
    return table


def articles_table(rows: Sequence[tuple[Article, str]], title: str) -> Table:
    """The newest articles, for the demo."""
    table = Table(title=title)
    for column in ("published (UTC)", "lang", "outlet", "title"):
        table.add_column(column)
    for article, outlet in rows:
        table.add_row(_when(article.published_at), article.language or "?", escape(outlet), escape(article.title))
    return table


def make_console() -> Console:
    """The console all commands print to."""
    return Console(highlight=False)


SIDE_LABEL = {"RU": "Russian side", "UA": "Ukrainian side", "other": "Others and outlets"}


def items_view(result: dict, console: Console) -> None:
    """Items with claims grouped by side, for `query` without --json."""
    heading = result.get("place", {}).get("name") or result.get("date")
    console.rule(f"{escape(str(heading))}: {len(result['items'])} items")
    for item in result["items"]:
        marks = " [red](disputed)[/]" if item["disputed"] else ""
        console.print(f"\n[bold]{escape(item['title'])}[/]{marks}  [dim]{item['event_date']}  #{item['id']}[/]")
        for side in ("RU", "UA", "other"):
            claims = [c for c in item["claims"] if c["side"] == side and c["speaker"]]
            if not claims:
                continue
            console.print(f"  [underline]{SIDE_LABEL[side]}[/]")
            for c in claims:
                flag = " [red]disputed[/]" if c["disputed"] else " [yellow]unverified[/]" if c["unverified"] else ""
                console.print(f"   • {escape(c['speaker'])} ({c['stance']}): {escape(c['text'][:160])}"
                              f" [dim]— {escape(c['outlet'])}[/]{flag}")
        outlets = sorted({a["outlet"] for a in item["articles"]} | {c["outlet"] for a in item["articles"] for c in a["copies"]})
        console.print(f"  [dim]Sources: {escape(', '.join(outlets))}[/]")


def items_table(session, gazetteer) -> Table:
    """Every item, one line each: headline, sources, languages, disputed or not (for the demo)."""
    from bot.items import lookup
    from storage import itemqueries

    items = itemqueries.latest_items(session, limit=50)
    described = lookup.describe_items(session, gazetteer, items, "en")
    table = Table(title=f"{len(described)} items (one event each, any language)")
    for column in ("event day", "headline (en)", "articles", "languages", "claims", "disputed"):
        table.add_column(column)
    for item in sorted(described, key=lambda i: (i["event_date"] or "", i["id"])):
        copies = sum(1 + len(a["copies"]) for a in item["articles"])
        languages = ", ".join(sorted({a["language"] or "?" for a in item["articles"]}))
        table.add_row(item["event_date"] or "–", escape(item["title"]), str(copies), languages,
                      str(len(item["claims"])), "[red]yes[/]" if item["disputed"] else "no")
    return table
