"""The floor load_web.py measures askbudget against: a bare Starlette app that answers every request
with one fixed JSON reply, served by the same uvicorn as ``askbudget serve`` (the same HTTP protocol
and options, ``askbudget.web.uvicorn_options``; the same workers over one socket).

    python bench/_bare.py PORT WORKERS
"""
from __future__ import annotations

import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

REPLY = {"ok": True, "question": "电费多少", "status": "answered", "text": "电费（30206）预算95.00万元。",
         "value": 95.0, "unit": "万元", "citations": [], "sql": "", "suggestions": [], "items": [],
         "derivation": "", "conversation": "x"}


async def ask(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse(REPLY)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


def app() -> Starlette:
    return Starlette(routes=[Route("/api/ask", ask, methods=["GET", "POST"]), Route("/healthz", healthz)])


if __name__ == "__main__":
    import uvicorn

    from askbudget.web import uvicorn_options

    port, workers = int(sys.argv[1]), int(sys.argv[2])
    uvicorn.run("_bare:app", factory=True, host="127.0.0.1", port=port, workers=workers, **uvicorn_options())
