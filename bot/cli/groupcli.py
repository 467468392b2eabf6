"""`eval grouping`: the figures for our own set, for a JSONL corpus, or for a set assembled from a
label file and the corpora it names (which it can also write out as a JSONL corpus)."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot.cli import groupcorpus
from bot.cli.groupeval import CorpusError, Labelled, evaluate_grouping, load_corpus, write_corpus


def articles_of(args: Namespace) -> list[Labelled] | None:
    """The set the arguments name (None: our own)."""
    if args.corpus:
        return load_corpus(Path(args.corpus))
    if args.labels:
        if not args.corpora:
            raise CorpusError("--labels needs --corpora (the folder holding nl-news-2022/ and rss-2023-war/)")
        labels = groupcorpus.load_labels(Path(args.labels))
        return groupcorpus.build(labels, Path(args.corpora), Path(args.examples) if args.examples else None)
    return None


def cmd_eval_grouping(args: Namespace, cache_dir: str) -> int:
    """Print (or write) the grouping figures."""
    articles = articles_of(args)
    if args.write:
        if articles is None:
            raise CorpusError("--write needs --labels and --corpora")
        write_corpus(Path(args.write), articles)
        print(f"wrote {len(articles)} articles to {args.write}")
        return 0
    results = evaluate_grouping(cache_dir, articles)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    console = Console(highlight=False)
    for part, figures in results.items():
        show(console, part, figures)
    return 0


def show(console: Console, part: str, f: dict) -> None:
    """One set's (or part's) figures as a table, beside those of leaving every article alone."""
    console.print(f"[bold]{part}[/]: {f['articles']} articles about {f['events']} events "
                  f"({f['multi_events']} with two or more reports) → {f['items']} items ({f['mixed_items']} mixing events)")
    table = Table()
    for column in ("measure", "precision", "recall", "F1", "alone P", "alone R", "alone F1"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name, label in (("pairwise", "pairwise"), ("bcubed", "BCubed")):
        table.add_row(label, *(f"{f[f'{prefix}{name}_{k}']:.3f}" for prefix in ("", "alone_")
                               for k in ("precision", "recall", "f1")))
    console.print(table)
    console.print(f"Pairs of one event in two languages put together: {f['cross_language_recall']:.3f} "
                  f"(of {f['cross_language_pairs']}; alone: 0)")
