"""End to end in a real headless Chromium: a help-desk page on another origin embeds the widget with the
one-line snippet, a visitor asks a question and a follow-up, a list question draws a bar chart, and a
question carrying HTML is shown as text. Saves ``artifacts/widget.png``.

Skipped (saying why) only where Debian's chromium is not installed (``.ci/install-browser`` installs it).
"""
from __future__ import annotations

import http.server
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                       reason=f"no browser: {CHROMIUM} is missing (install it with .ci/install-browser)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Uvicorn:
    """uvicorn in a thread on a free loopback port."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "_Uvicorn":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _host_page(snippet: str) -> bytes:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政务服务中心 · 在线咨询</title></head>
<body style="margin:0;background:#f3f4f6;font-family:sans-serif">
<header style="background:#8b1a1a;color:#fff;padding:14px 28px;font-size:20px">政务服务中心 · 在线咨询</header>
<main style="max-width:720px;margin:24px auto;padding:0 20px">
<p style="color:#374151">有关单位预算公开的问题，请在下面的问答框中提问。</p>
{snippet}
</main></body></html>""".encode("utf-8")


@pytest.fixture(scope="module")
def host_page() -> Iterator[tuple[int, dict[str, bytes]]]:
    """A help-desk page served from a different origin than the API (so CORS is exercised)."""
    port = _free_port()
    holder: dict[str, bytes] = {"page": b""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            body = holder["page"]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield port, holder
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site(gongan_store: Path, host_page: tuple[int, dict[str, bytes]]) -> Iterator[dict[str, Any]]:
    from askbudget.web import create_app

    host_page_port, holder = host_page
    host_origin = f"http://127.0.0.1:{host_page_port}"
    with _Uvicorn(create_app(gongan_store, cors_origins=[host_origin])) as api:
        snippet = f'<script src="http://127.0.0.1:{api.port}/widget.js" defer></script>'
        holder["page"] = _host_page(snippet)  # the one line a help desk adds to its page
        yield {"api": f"http://127.0.0.1:{api.port}", "host": host_origin, "snippet": snippet}


def _direct(store: Path, *questions: str) -> list[Any]:
    from askbudget.assistant import Assistant

    a = Assistant(str(store))
    return [a.ask(q) for q in questions]


def _fmt(value: float, unit: str | None) -> str:
    """The widget's figure format (zh-CN grouping; money with 2 decimals)."""
    if unit in ("元", "万元", "亿元"):
        return f"{value:,.2f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def test_widget_answers_follows_up_charts_and_escapes(site: dict[str, Any], gongan_store: Path) -> None:
    from playwright.sync_api import sync_playwright

    first, follow = _direct(gongan_store, "电费多少", "水费呢")
    (listing,) = _direct(gongan_store, "公用经费都包括哪些")
    assert first.value is not None and follow.value is not None and listing.items
    outside: list[str] = []
    errors: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 1400}, device_scale_factor=1)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith((site["api"], site["host"], "data:")) else None)
            page.goto(site["host"] + "/")

            box = page.get_by_label("输入问题")  # the input is labelled (and reachable in the shadow root)
            box.wait_for()
            box.fill("电费多少")
            box.press("Enter")  # keyboard only
            figure = page.locator(".ab-figure").nth(0)
            figure.wait_for()
            assert figure.inner_text().replace("\n", "").replace(" ", "") == _fmt(first.value, first.unit) + (first.unit or "")
            chips = page.locator(".ab-bot").nth(0).locator(".ab-chip")  # one labelled chip per cited table
            tables = list(dict.fromkeys((c.document, c.table) for c in first.citations))
            assert chips.count() == min(len(tables), 8)
            c0 = first.citations[0]
            assert chips.nth(0).inner_text().startswith(c0.table) and (c0.row or "") in chips.nth(0).inner_text()
            interp = page.locator(".ab-bot").nth(0).locator(".ab-interp")  # how it was read, a small grey line
            assert interp.inner_text() == "理解为：" + first.interpretation

            box.fill("水费呢")
            box.press("Enter")
            page.locator(".ab-figure").nth(1).wait_for()
            assert _fmt(follow.value, follow.unit) in page.locator(".ab-figure").nth(1).inner_text()

            box.fill("公用经费都包括哪些")
            box.press("Enter")
            bars = page.locator(".ab-bot").nth(2).locator("svg rect.ab-bar")
            bars.first.wait_for()
            assert bars.count() == min(len([i for i in listing.items if i.value is not None]), 12)

            page.locator(".askbudget-widget").screenshot(path=str(ARTIFACTS / "widget.png"))

            hostile = '<img src=x onerror="window.__pwned=1"><b>粗体</b>'
            (refusal,) = _direct(gongan_store, hostile)
            box.fill(hostile)
            box.press("Enter")
            page.locator(".ab-bot").nth(3).wait_for()
            page.wait_for_timeout(200)
            assert page.locator(".ab-user .ab-q").nth(3).inner_text() == hostile
            assert page.evaluate("window.__pwned") is None
            assert page.evaluate("() => document.querySelector('.askbudget-widget').shadowRoot"
                                 ".querySelectorAll('img, b').length") == 0
            assert page.locator("[role=log][aria-live=polite]").count() == 1

            # a refusal offers its suggestions as buttons; pressing one (by keyboard) asks it
            buttons = page.locator(".ab-bot").nth(3).locator("button.ab-ask-chip")
            shown = refusal.suggestions if refusal.status != "answered" else ()
            assert buttons.count() == len(shown)
            if shown:
                buttons.nth(0).focus()
                page.keyboard.press("Enter")
                page.locator(".ab-bot").nth(4).wait_for()
                assert page.locator(".ab-user .ab-q").nth(4).inner_text() == shown[0]
        finally:
            browser.close()
    assert errors == []
    assert outside == [], "the widget fetched something from outside its server"
    assert (ARTIFACTS / "widget.png").stat().st_size > 10_000


def test_chat_page_loads_and_answers(gongan_store: Path) -> None:
    from playwright.sync_api import sync_playwright

    from askbudget.web import create_app

    (first,) = _direct(gongan_store, "电费多少")
    with _Uvicorn(create_app(gongan_store)) as api, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            csp_errors: list[str] = []
            page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(f"http://127.0.0.1:{api.port}/")
            page.get_by_role("button", name="提问").wait_for()
            page.get_by_label("输入问题").fill("电费多少")
            page.get_by_role("button", name="提问").click()
            page.locator(".ab-figure").first.wait_for()
            assert _fmt(first.value, first.unit) in page.locator(".ab-figure").first.inner_text()
            assert csp_errors == []
        finally:
            browser.close()
