"""askbudget: answer plain-Chinese questions about budget disclosures with exact, cited figures.

The public API (documented in README.md, pinned by tests/test_api.py)::

    build_store(paths, db_path)     ingest disclosure documents into a store file
    Assistant(db_path=None)         open a store read-only; .ask(text) -> Answer; .reset()
    Answer, Citation, Item          the values an answer is made of
    AskBudgetError, IngestError, StoreError, QueryError, LexiconError
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .answer import Answer, Citation, Item
from .errors import AskBudgetError, IngestError, LexiconError, QueryError, StoreError

if TYPE_CHECKING:
    from .assistant import Assistant

__all__ = [
    "Answer",
    "AskBudgetError",
    "Assistant",
    "Citation",
    "IngestError",
    "Item",
    "LexiconError",
    "QueryError",
    "StoreError",
    "build_store",
]
__version__ = "0.1.0"


def build_store(paths: Any, db_path: Any, *, quiet: bool = True) -> Any:
    """Ingest the disclosure documents ``paths`` into the store file ``db_path`` (created if missing).

    All or nothing: on an ``IngestError`` the store is left exactly as it was. Returns the ingest
    report (documents, warnings, arithmetic mismatches); ``quiet=False`` also prints its summary line.
    """
    from .ingest import build_store as _build

    return _build([str(p) for p in paths], str(db_path), quiet=quiet)


def __getattr__(name: str) -> Any:
    if name == "Assistant":  # imported lazily: keeps `import askbudget` light
        from .assistant import Assistant

        return Assistant
    raise AttributeError(name)
