"""Command line: ``askbudget`` (sub-commands) and ``ask`` (one-shot question, or the REPL).

Exit status: 0 ok / answered, 1 failure / not answered, 2 usage error. Errors are one line on stderr,
never a traceback. Heavy modules are imported inside the command that needs them, so ``ask`` starts fast.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import Iterator, Sequence, TextIO

from .errors import AskBudgetError
from .safetext import clean


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line, like argparse, but ours
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _db_arg(p: argparse.ArgumentParser, help_: str = "store file (default: the store built from data/)") -> None:
    p.add_argument("--db", metavar="PATH", help=help_)


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="askbudget", description="Answer questions about budget disclosures (单位/部门预算公开).")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("ingest", help="read disclosure documents into a store")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--db", metavar="PATH", required=True, help="store file to create or update")
    p.add_argument("--explain", action="store_true",
                   help="also show each table's title → kind and header → column mapping")

    p = sub.add_parser("check", help="cross-check the arithmetic of the documents in a store")
    _db_arg(p)

    p = sub.add_parser("ask", help="answer one question")
    _add_ask_args(p)

    p = sub.add_parser("repl", help="interactive questions with follow-ups")
    _db_arg(p)

    p = sub.add_parser("eval", help="score the answers against a question bank (exit 1 on any wrong answer)")
    p.add_argument("bank", metavar="BANK.jsonl", help="questions with expected answers (docs/eval.md)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--docs", nargs="+", metavar="FILE", help="documents to ingest into a fresh temporary store")
    src.add_argument("--db", metavar="PATH", help="an existing store to score instead")
    p.add_argument("--fail", action="store_true", help="also print every question that is not ok, and why")
    p.add_argument("--only", metavar="CAT", help="only the questions of this category (their cat field)")
    p.add_argument("--json", metavar="FILE", help="write each question's outcome to FILE (JSON Lines)")

    p = sub.add_parser("serve", help="HTTP JSON API and help-desk chat widget")
    _db_arg(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_port, default=8000, help="TCP port (0: any free one; default 8000)")
    p.add_argument("--cors", metavar="ORIGINS", default="",
                   help="comma-separated origins allowed to call the API from a browser (default: none)")
    p.add_argument("--allowed-hosts", metavar="HOSTS", default="", type=_hosts,
                   help="comma-separated Host headers served (example.gov.cn, *.example.gov.cn); any by default")
    p.add_argument("--workers", type=_positive, default=1, metavar="N",
                   help="worker processes sharing the port (default 1); conversations continue on any of them")
    return ap


def _hosts(text: str) -> str:
    for h in (x.strip() for x in text.split(",")):
        if "*" in h[1:] or (h.startswith("*") and h != "*" and not h.startswith("*.")):
            raise argparse.ArgumentTypeError(f"{h!r}: a wildcard host is written *.example.gov.cn")
    return text


def _bounded(lo: int, hi: int, what: str):  # type: ignore[no-untyped-def]
    """An argparse type: a whole number from ``lo`` to ``hi``, else a one-line message naming ``what``."""
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = lo - 1
        if not lo <= n <= hi:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what} ({lo} to {hi})")
        return n
    return parse


_positive = _bounded(1, 256, "a number of workers")
_port = _bounded(0, 65535, "a port number")


def _add_ask_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", nargs="*", help="the question, in Chinese (none: start the REPL)")
    _db_arg(p)
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--sql", action="store_true", help="also show the SQL that produced the answer")
    p.add_argument("--debug", action="store_true", help="log any error inside answering to stderr, with its traceback")


def _store(db: str | None) -> str:
    if db:
        return db
    from .store import default_store_path

    return str(default_store_path())


def _ask(args: argparse.Namespace) -> int:
    question = " ".join(args.question).strip()
    if not question:
        print("error: empty question: ask \"电费多少\"", file=sys.stderr)
        return 2
    from .assistant import Assistant
    from .render import render_text

    if args.debug:
        import logging

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("askbudget: %(levelname)s %(message)s"))
        logging.getLogger("askbudget").addHandler(handler)
        logging.getLogger("askbudget").setLevel(logging.DEBUG)
    answer = Assistant(_store(args.db), warm=False).ask(question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(answer, show_sql=args.sql))
    return 0 if answer.answered else 1


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return 2
    if args.command == "repl" or (args.command == "ask" and not args.question):
        return _run(args)  # the REPL cleans what it shows itself: its terminal UI is escape sequences
    with _cleaned_output():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    if args.command == "ingest":
        from .ingest import cli_ingest

        return cli_ingest(args.files, args.db, explain=args.explain)
    if args.command == "eval":
        from .evaluate import cli_eval

        return cli_eval(args.bank, args.docs or [], args.db, failures=args.fail, only=args.only, json_out=args.json)
    if args.command == "check":
        from .check import cli_check

        return cli_check(_store(args.db))
    if args.command == "ask":
        if not args.question:
            from .repl import run_repl

            return run_repl(_store(args.db))
        return _ask(args)
    if args.command == "repl":
        from .repl import run_repl

        return run_repl(_store(args.db))
    if args.command == "serve":
        from .web import serve

        origins = [o.strip() for o in args.cors.split(",") if o.strip()]
        hosts = [h.strip() for h in args.allowed_hosts.split(",") if h.strip()]
        return serve(_store(args.db), host=args.host, port=args.port, cors_origins=origins, workers=args.workers,
                     allowed_hosts=hosts)
    return 2


def _guarded(fn, argv: Sequence[str] | None) -> int:
    try:
        rc = fn(argv)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk shows here, not at exit
        return rc
    except AskBudgetError as e:
        _say(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `ask … | head`: the reader left; nothing to say
        _drop_stdout()
        return 1
    except OSError as e:  # the output cannot be written (/dev/full, a disk that filled up, a closed terminal)
        _drop_stdout()
        _say(f"error: cannot write the output: {e.strerror or e}")
        return 1


class _Cleaned:
    """A text stream that passes everything written through ``safetext.clean``: text from a document or
    a store never reaches the terminal as an escape sequence."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(clean(text))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _cleaned_output() -> Iterator[None]:
    """stdout and stderr cleaned while a one-shot command runs (``ask``, ``check``, ``ingest``, ``serve``)."""
    saved = sys.stdout, sys.stderr
    sys.stdout = _Cleaned(saved[0]) if saved[0] is not None else None  # type: ignore[assignment]
    sys.stderr = _Cleaned(saved[1]) if saved[1] is not None else None  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _say(line: str) -> None:
    """One line on stderr, if stderr can take it."""
    try:
        print(clean(line), file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass


def _drop_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's flush at exit does not fail a second time."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> None:
    raise SystemExit(_guarded(run, argv))


def ask_main(argv: Sequence[str] | None = None) -> None:
    """``ask "问题"``: the one-shot entry point (``ask`` alone starts the REPL)."""
    def go(a: Sequence[str] | None) -> int:
        p = _Parser(prog="ask", description="Answer one question about the budget disclosures.")
        _add_ask_args(p)
        args = p.parse_args(a)
        if not args.question:
            from .repl import run_repl

            return run_repl(_store(args.db))
        with _cleaned_output():
            return _ask(args)

    raise SystemExit(_guarded(go, argv))


if __name__ == "__main__":
    main()
