"""The house's layering, checked by import-linter's contracts in pyproject.toml: on the tree as it is,
and on scratch copies with one forbidden import added, which must break the named contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess:
    """Run import-linter on a tree (its own pyproject.toml and packages first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "200"}
    return subprocess.run([str(LINT), "--no-cache", "--config", str(tree / "pyproject.toml")], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_tree_keeps_every_contract() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("bot/ingest/parse.py", "from bot.items import group  # noqa", "Data flows one way"),
    ("storage/queries.py", "from bot.items import lookup  # noqa", "Data flows one way"),
    ("bot/items/group.py", "from sqlmodel import select  # noqa", "Only storage/ builds SQL"),
    ("handlers/places.py", "from sqlalchemy import text  # noqa", "Only storage/ builds SQL"),
    ("bot/nlp/places.py", "import storage.models  # noqa", "Reading (bot.nlp) knows neither"),
    ("bot/nlp/claims.py", "import telegram  # noqa", "Reading (bot.nlp) knows neither"),
])
def test_a_forbidden_import_breaks_its_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    for name in ("bot", "handlers", "storage"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "data", "samples"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(row.startswith(contract) for row in broken), result.stdout
