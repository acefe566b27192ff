#!/usr/bin/env python3
"""Make N disclosures of N different units from the real seed document, for scale benchmarks.

    python bench/gen_units.py N OUT_DIR

Unit i (0-based) is the seed document (``data/gaoxin-gongan-2023.txt``, 唐山市公安局高新技术产业开发区
分局) renamed 唐山市公安局第{i+1}分局 with unit code 1225000 + i (under the department code 122 the seed's own
tables print, never the seed's own 122001), written as ``OUT_DIR/unit-{i:04d}.txt``.
Figures and text are the seed's, so an answer about any unit must carry the seed's figure and cite
that unit by name: ``expected()`` lists the questions the scale benchmark checks that way.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "gaoxin-gongan-2023.txt"
SEED_CODE = "122001"
SEED_PLACE = "高新技术产业开发区分局"


def unit_name(i: int) -> str:
    return f"唐山市公安局第{i + 1}分局"


def unit_code(i: int, n: int = 0) -> str:
    """1225000 + i: under the seed's department code 122, never the seed's own 122001."""
    return f"122{5000 + i:04d}"


def variant(text: str, i: int, n: int) -> str:
    """The seed's text as unit i's document: its name and code replaced wherever they are printed."""
    return text.replace(f"{SEED_CODE} ", f"{unit_code(i, n)} ").replace(SEED_PLACE, f"第{i + 1}分局")


def generate(n: int, out: Path) -> list[Path]:
    """Write the N documents (kept when already there with the same content); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    seed = SEED.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        p = out / f"unit-{i:04d}.txt"
        text = variant(seed, i, n)
        if not p.is_file() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


# (question about unit i, status, value) — the seed's own figures; {u} is how the question names the unit
NAMED: tuple[tuple[str, str, float | None], ...] = (
    ("{u}的电费多少", "answered", 95.0),
    ("{u}三公经费多少", "answered", 14.5),
    ("{u}政府采购预算总额是多少", "answered", 217.0),
    ("{u}的水费是多少", "answered", 24.0),
    ("{u}收入总计多少", "answered", 5983.18),
    ("{u}电费为什么增加", "answered", None),
    ("{u}有几个科室所队", "answered", 20.0),
)
# questions naming no unit: the store holds 1,000 units, so each is ambiguous or answered across units
UNNAMED: tuple[str, ...] = (
    "电费多少", "电费为什么增加", "体检覆盖多少人", "什么是三公经费", "收入总计比2022年减少了多少",
    "政府采购预算总额是多少", "项目的数量指标是多少", "星际旅行补贴多少", "单位规格", "公用经费都包括哪些",
)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    paths = generate(int(argv[0]), Path(argv[1]))
    print(f"{len(paths)} documents in {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
