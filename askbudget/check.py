"""placeholder"""
from __future__ import annotations
import sqlite3


def store_checks(conn: sqlite3.Connection, document_id: int) -> int:
    return 0
