"""Shared fixtures: the corpus, and stores built once per session from it."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = ROOT / "tests" / "data"
# The public corpus CI lays beside the clone: only the public question banks are read from it (an extra
# that skips, saying why, on a clone with nothing beside it). Every document a test needs is in the
# project: the real one in data/, the synthetic 财政局 one (a copy of the corpus file) in tests/data/.
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"

GONGAN = ROOT / "data" / "gaoxin-gongan-2023.txt"
CZJ = TEST_DATA / "tangshan-gaoxin-czj-2023.txt"


@pytest.fixture(scope="session")
def gongan_doc() -> Path:
    return GONGAN


@pytest.fixture(scope="session")
def czj_doc() -> Path:
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


class _ErrorLog(logging.Handler):
    """Collects the errors the package logs (an exception inside answering is logged, never silent)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _no_logged_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Any test fails when the package logged an error inside answering (a test that provokes one on
    purpose marks itself ``logged_errors`` and reads them from the ``logged_errors`` fixture)."""
    handler = _ErrorLog()
    logger = logging.getLogger("askbudget")
    logger.addHandler(handler)
    request.node._askbudget_errors = handler.records  # type: ignore[attr-defined]
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("logged_errors") is None:
        lines = [f"{r.getMessage()}\n{logging.Formatter().formatException(r.exc_info) if r.exc_info else ''}"
                 for r in handler.records]
        pytest.fail("errors were logged inside answering:\n" + "\n".join(lines), pytrace=False)


@pytest.fixture
def logged_errors(request: pytest.FixtureRequest) -> list[logging.LogRecord]:
    """The errors the package logged during this test (with the ``logged_errors`` mark)."""
    return request.node._askbudget_errors  # type: ignore[attr-defined]

