"""The domain lexicon: 政府收支分类科目 and synonyms, read from the TSV files in ``lexicon/``.

Why data files and not code: adding a subject or a colloquial name must never need a code change
(STYLE.md rule 4). Why TSV and the stdlib only: the one-shot ``ask`` loads this on every run, so
loading has to cost a few milliseconds (no jieba, no pypinyin, no opencc here).

Every line is validated; a bad line raises :class:`~askbudget.errors.LexiconError` naming the file
and the 1-based line number. ``lexicon/README.md`` describes the formats.

Public API::

    load(directory=None) -> Lexicon           cached per process and directory
    read_tsv(name, columns, *, optional=(), directory=None) -> list[tuple[int, dict[str, str]]]
    Lexicon, Subject, FUNCTION, ECONOMIC
"""
from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .errors import LexiconError
from .resources import lexicon_dir

FUNCTION = "功能分类"
ECONOMIC = "经济分类"

FUNCTION_FILE = "subjects_function.tsv"
ECONOMIC_FILE = "subjects_economic.tsv"
SYNONYMS_FILE = "synonyms.tsv"

# classification -> (file, first digit of every code, {code length: level})
_SCHEMES: dict[str, tuple[str, str, dict[int, int]]] = {
    FUNCTION: (FUNCTION_FILE, "2", {3: 1, 5: 2, 7: 3}),
    ECONOMIC: (ECONOMIC_FILE, "3", {3: 1, 5: 2}),
}
_PARENT_LEN = {5: 3, 7: 5}


@dataclass(frozen=True)
class Subject:
    """One 科目 of the standard classification: 类 (level 1), 款 (level 2) or 项 (level 3)."""

    code: str
    name: str
    classification: str  # FUNCTION ('功能分类') or ECONOMIC ('经济分类')
    level: int
    parent_code: str | None


@dataclass(frozen=True)
class Lexicon:
    """Everything the lexicon files hold, validated. Build it with :func:`load`.

    ``synonyms`` maps an alias, already passed through :func:`askbudget.normalize.normalize` so a
    normalised question can be looked up directly, to the canonical name a document uses (as
    written in the file, e.g. with full-width brackets).
    """

    subjects: tuple[Subject, ...]
    by_code: Mapping[str, Subject]
    synonyms: Mapping[str, str]
    by_name: Mapping[str, tuple[Subject, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def children(self, code: str) -> tuple[Subject, ...]:
        """The direct children of ``code`` in file order."""
        return tuple(s for s in self.subjects if s.parent_code == code)

    def subject_names(self) -> frozenset[str]:
        """Every distinct subject name (both classifications)."""
        return frozenset(self.by_name)


def _strip_bom(line: str) -> str:
    return line[1:] if line.startswith("\ufeff") else line


def read_tsv(
    name: str,
    columns: Sequence[str],
    *,
    optional: Collection[str] = (),
    directory: Path | str | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """Read ``name`` from the lexicon directory as rows of ``columns``; validate every line.

    Format: UTF-8, tab-separated; blank lines and lines whose first non-blank character is ``#``
    are ignored; the first other line is the header and must equal ``columns``. Every row has
    exactly ``len(columns)`` fields (trailing fields may be left off only if they are ``optional``);
    fields are stripped of surrounding spaces; a field that is not ``optional`` must not be empty.

    Returns ``[(line_number, {column: value}), ...]`` (1-based line numbers, for error messages of
    the caller's own checks). Raises :class:`LexiconError` (file, line, reason) on any bad line.
    """
    base = Path(directory) if directory is not None else lexicon_dir()
    path = base / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(str(path), None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(str(path), None, f"not UTF-8: {exc.reason}") from None
    except OSError as exc:
        raise LexiconError(str(path), None, f"cannot read: {exc.strerror}") from None

    cols = tuple(columns)
    rows: list[tuple[int, dict[str, str]]] = []
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _strip_bom(raw) if lineno == 1 else raw
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if not header_seen:
            if tuple(fields) != cols:
                raise LexiconError(
                    str(path), lineno, f"header must be {'<TAB>'.join(cols)!r}, got {line!r}"
                )
            header_seen = True
            continue
        if len(fields) > len(cols):
            raise LexiconError(
                str(path), lineno, f"{len(fields)} fields, expected {len(cols)} ({', '.join(cols)})"
            )
        if len(fields) < len(cols):
            missing = cols[len(fields):]
            if any(c not in optional for c in missing):
                raise LexiconError(
                    str(path),
                    lineno,
                    f"{len(fields)} fields, expected {len(cols)} ({', '.join(cols)})",
                )
            fields += [""] * len(missing)
        row = dict(zip(cols, fields))
        for col, value in row.items():
            if not value and col not in optional:
                raise LexiconError(str(path), lineno, f"empty field {col!r}")
        rows.append((lineno, row))
    if not header_seen:
        raise LexiconError(str(path), None, f"no header line {'<TAB>'.join(cols)!r}")
    return rows


def _read_subjects(classification: str, directory: Path | str | None) -> list[tuple[str, int, Subject]]:
    fname, first_digit, levels = _SCHEMES[classification]
    base = Path(directory) if directory is not None else lexicon_dir()
    where = str(base / fname)
    out: list[tuple[str, int, Subject]] = []
    for lineno, row in read_tsv(fname, ("code", "name"), directory=directory):
        code, name = row["code"], row["name"]
        if not (code.isascii() and code.isdigit()):
            raise LexiconError(where, lineno, f"code {code!r} is not all digits")
        if len(code) not in levels:
            allowed = "/".join(str(n) for n in sorted(levels))
            raise LexiconError(where, lineno, f"code {code!r} has {len(code)} digits, expected {allowed}")
        if not code.startswith(first_digit):
            raise LexiconError(where, lineno, f"a {classification} code starts with {first_digit}: {code!r}")
        parent = code[: _PARENT_LEN[len(code)]] if len(code) in _PARENT_LEN else None
        subject = Subject(code, name, classification, levels[len(code)], parent)
        out.append((where, lineno, subject))
    return out


def _build(directory: Path | str | None) -> Lexicon:
    from .normalize import normalize  # light: opencc is only touched for non-simplified text

    located: list[tuple[str, int, Subject]] = []
    for classification in (FUNCTION, ECONOMIC):
        located += _read_subjects(classification, directory)

    by_code: dict[str, Subject] = {}
    first_line: dict[str, int] = {}
    for where, lineno, s in located:
        if s.code in by_code:
            raise LexiconError(where, lineno, f"duplicate code {s.code} (first on line {first_line[s.code]})")
        by_code[s.code] = s
        first_line[s.code] = lineno
    for where, lineno, s in located:
        if s.parent_code is not None and s.parent_code not in by_code:
            raise LexiconError(where, lineno, f"code {s.code}: parent {s.parent_code} is not in the file")

    by_name: dict[str, list[Subject]] = {}
    for _, _, s in located:
        by_name.setdefault(s.name, []).append(s)

    base = Path(directory) if directory is not None else lexicon_dir()
    syn_where = str(base / SYNONYMS_FILE)
    synonyms: dict[str, str] = {}
    normalized_canonical: dict[str, str] = {}
    syn_line: dict[str, int] = {}
    for lineno, row in read_tsv(SYNONYMS_FILE, ("alias", "canonical"), directory=directory):
        alias, canonical = normalize(row["alias"]), row["canonical"]
        if not alias:
            raise LexiconError(syn_where, lineno, f"alias {row['alias']!r} is empty once normalised")
        target = normalized_canonical.get(canonical)
        if target is None:
            target = normalized_canonical[canonical] = normalize(canonical)
        if alias == target:
            raise LexiconError(syn_where, lineno, f"alias {alias!r} is its own canonical name")
        previous = synonyms.get(alias)
        if previous is not None and previous != canonical:
            raise LexiconError(
                syn_where,
                lineno,
                f"alias {alias!r} maps to {canonical!r} here but to {previous!r} on line {syn_line[alias]}",
            )
        synonyms[alias] = canonical
        syn_line.setdefault(alias, lineno)
    for alias, canonical in synonyms.items():
        target = normalized_canonical[canonical]
        if target in synonyms:
            raise LexiconError(
                syn_where,
                syn_line[alias],
                f"canonical {canonical!r} is itself an alias (of {synonyms[target]!r}); point {alias!r} there",
            )

    return Lexicon(
        subjects=tuple(s for _, _, s in located),
        by_code=MappingProxyType(by_code),
        synonyms=MappingProxyType(synonyms),
        by_name=MappingProxyType({k: tuple(v) for k, v in by_name.items()}),
    )


@functools.lru_cache(maxsize=8)
def _load_cached(directory: str | None) -> Lexicon:
    return _build(directory)


def load(directory: Path | str | None = None) -> Lexicon:
    """The validated lexicon (cached per process and directory; ``None`` = the shipped lexicon)."""
    return _load_cached(str(directory) if directory is not None else None)


__all__ = ["ECONOMIC", "FUNCTION", "Lexicon", "Subject", "load", "read_tsv"]
