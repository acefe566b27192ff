"""The one exception tree of askbudget.

    AskBudgetError                 base of everything this package raises on purpose
     ├── IngestError               a document could not be read (file, line, reason)
     ├── StoreError                the store is missing, unreadable, or not an askbudget store
     ├── QueryError                a question could not be run (bad input, SQL time limit)
     ├── LexiconError              a lexicon data file has a bad line (file, line, reason)
     └── BankError                 a question bank (askbudget eval) has a bad line (file, line, reason)

The CLI maps them to a message on stderr and an exit status (0 ok, 1 failure, 2 usage);
the HTTP API maps them to one JSON error shape ``{"ok": false, "error": ..., "status": ...}``.
No user ever sees a traceback.
"""
from __future__ import annotations


class AskBudgetError(Exception):
    """Base class: every error askbudget raises on purpose."""


class _LocatedError(AskBudgetError):
    """An error in a file, at a line (1-based, or None): ``file``, ``line`` and ``reason``."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple:  # crosses a process boundary whole (ingest parses in a process pool)
        return type(self), (self.file, self.line, self.reason)


class IngestError(_LocatedError):
    """A document could not be ingested. ``file`` and ``line`` (1-based, or None) say where."""


class StoreError(AskBudgetError):
    """The store cannot be opened or is not an askbudget store."""


class QueryError(AskBudgetError):
    """A question could not be answered for a reason other than 'not in the documents'."""


class LexiconError(_LocatedError):
    """A lexicon data file is malformed at ``file``:``line``."""


class BankError(_LocatedError):
    """A question bank (``askbudget eval``) cannot be read at ``file``:``line``."""
