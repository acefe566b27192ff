"""Shared fixtures: the corpus, and stores built once per session from it."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.is_dir():  # CI lays shared/ beside the clone; the shipped real document is always in data/
    CORPUS = ROOT / "data"

GONGAN = ROOT / "data" / "gaoxin-gongan-2023.txt"
CZJ = CORPUS / "tangshan-gaoxin-czj-2023.txt"


@pytest.fixture(scope="session")
def gongan_doc() -> Path:
    return GONGAN


@pytest.fixture(scope="session")
def czj_doc() -> Path:
    if not CZJ.is_file():
        pytest.skip(f"synthetic corpus document not found at {CZJ}")
    return CZJ


@pytest.fixture(scope="session")
def gongan_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding only the real document."""
    from askbudget import build_store

    db = tmp_path_factory.mktemp("store") / "gongan.db"
    build_store([GONGAN], db)
    return db


@pytest.fixture(scope="session")
def both_store(tmp_path_factory: pytest.TempPathFactory, czj_doc: Path) -> Path:
    """A store holding both corpus documents (two units, one year)."""
    from askbudget import build_store

    db = tmp_path_factory.mktemp("store") / "both.db"
    build_store([GONGAN, czj_doc], db)
    return db


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default store and histories go to a per-session temp dir, never the user's."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("ASKBUDGET_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("ASKBUDGET_DATA_HOME", str(base / "datahome"))
