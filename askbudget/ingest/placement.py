"""Which column each figure of a row is in, when the text layer lost the empty cells.

Page text prints ``207 01 05 文化展示及纪念机构 60,517,640 60,517,640`` for a row of the columns
合计 / 基本支出 / 项目支出: two figures, three columns, and nothing on the line says which one is
empty. Guessing is how a wrong number gets into an answer, so a figure's column is *proven* from the
table's own arithmetic or left uncertain:

- a row's sum (``合计 = 基本支出 + 项目支出``, from the template);
- a parent row is the sum of its children (``207`` = Σ ``207 01``…; ``一、`` = Σ ``1.``…), and the
  合计/总计 row is the sum of the top rows, column by column;
- the same figure printed twice (``支出总计/一般公共预算 = 一般公共预算/预算数``, possibly in another
  table of the document: ``收支总表:财政拨款收入/预算数``);
- a part printed beside its whole in another table, never more than it (a subject's 一般公共预算
  基本支出 ≤ its 基本支出 from every source in the 部门支出总表: ``AtMost``).

Each row is a variable whose domain is every order-keeping placement of its figures into the
columns (a row with as many figures as columns, or one read with known cell positions, has one).
Every constraint removes the placements no assignment of the others can satisfy (generalised arc
consistency, to a fixpoint). That is sound — a placement is only removed when it contradicts the
printed figures — but a constraint that no placement satisfies at all (a document whose own
arithmetic is wrong) is dropped rather than used: it proves nothing. A figure is certain when every
placement left puts it in the same column; else its cell is stored ``uncertain`` and never answered.

Figures are compared as exact integers (in the smallest decimal unit any of them prints).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import combinations
from typing import Iterable, Sequence

# exact partial sums are enumerated only while they stay below this many vectors; past it (or first,
# as it is linear) a sum is reasoned about column by column with bounds
MAX_PARTIAL = 2000

Vector = tuple[int, ...]


@dataclass
class Var:
    """One row (one side of a two-sided row): its figures and the placements still possible."""
    figures: tuple[int, ...]  # the printed figures, scaled to integers
    width: int  # the number of columns
    placements: list[tuple[int, ...]] = field(default_factory=list)
    doubted: set[int] = field(default_factory=set)  # columns a broken identity puts in doubt (``doubt``)

    def vectors(self) -> list[Vector]:
        return [self.vector(p) for p in self.placements]

    def vector(self, placement: tuple[int, ...]) -> Vector:
        v = [0] * self.width
        for col, f in zip(placement, self.figures):
            v[col] = f
        return tuple(v)

    def keep(self, vectors: set[Vector]) -> bool:
        """Keep the placements whose vector is in ``vectors``; True when something was removed."""
        kept = [p for p in self.placements if self.vector(p) in vectors]
        changed = len(kept) != len(self.placements)
        self.placements = kept
        return changed


def new_var(figures: Sequence[int], width: int, fixed: Sequence[int] | None = None) -> Var:
    """A row of ``figures`` in ``width`` columns; ``fixed``: the known column of each figure."""
    if fixed is not None:
        return Var(tuple(figures), width, [tuple(fixed)])
    if len(figures) > width:
        return Var(tuple(figures), width, [])
    return Var(tuple(figures), width, list(combinations(range(width), len(figures))))


def scale_of(raws: Iterable[str]) -> int:
    """10^(most decimals any figure prints): every figure becomes an exact integer."""
    most = 0
    for r in raws:
        s = r.replace(",", "").replace("，", "")
        if "." in s:
            most = max(most, len(s.split(".", 1)[1]))
    return 10 ** most


def to_int(raw: str, scale: int) -> int | None:
    try:
        d = Decimal(raw.replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None
    return int(d * scale) if d == d else None


# ---------------------------------------------------------------- constraints

@dataclass(frozen=True)
class RowSum:
    """``var``: Σ columns ``left`` = Σ columns ``parts`` (one row's own arithmetic; ``left`` is
    usually one column, the total: ``合计 = 基本支出 + 项目支出``)."""
    var: int
    left: tuple[int, ...]  # (a single total column may be given as an int)
    parts: tuple[int, ...]
    tol: int = 0  # the figures are rounded: the two sides may differ by this much

    def __post_init__(self) -> None:
        if isinstance(self.left, int):
            object.__setattr__(self, "left", (self.left,))


@dataclass(frozen=True)
class TreeSum:
    """Row ``parent`` = Σ rows ``children``, column by column (all of the same width)."""
    parent: int
    children: tuple[int, ...]
    tol: int = 0  # the figures are rounded: parent and Σ children may differ by this much


@dataclass(frozen=True)
class Equal:
    """Column ``a_col`` of row ``a`` = column ``b_col`` of row ``b``."""
    a: int
    a_col: int
    b: int
    b_col: int
    tol: int = 0  # the figures are rounded: the two prints may differ by this much


@dataclass(frozen=True)
class AtMost:
    """Column ``a_col`` of row ``a`` ≤ column ``b_col`` of row ``b`` (a part and its whole)."""
    a: int
    a_col: int
    b: int
    b_col: int
    tol: int = 0


Constraint = RowSum | TreeSum | Equal | AtMost


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(x + y for x, y in zip(a, b))


def _sub(a: Vector, b: Vector) -> Vector:
    return tuple(x - y for x, y in zip(a, b))


def _row_sum(var: Var, c: RowSum) -> bool | None:
    ok = {v for v in var.vectors() if abs(sum(v[t] for t in c.left) - sum(v[p] for p in c.parts)) <= c.tol}
    if not ok:
        return None
    return var.keep(ok)


def _tree_sum(vs: list[Var], c: TreeSum) -> bool | None:
    saved = [list(vs[i].placements) for i in _ids(c)]
    got = _tree_sum_narrow(vs, c)
    if got is None:  # no placement satisfies it: it proves nothing, and narrows nothing
        for i, p in zip(_ids(c), saved):
            vs[i].placements = p
    return got


def _tree_sum_narrow(vs: list[Var], c: TreeSum) -> bool | None:
    parent = vs[c.parent]
    kids = [vs[i] for i in c.children]
    if all(len(k.placements) == 1 for k in kids) and len(parent.placements) == 1:
        total = tuple(0 for _ in range(parent.width))
        for k in kids:
            total = _add(total, k.vectors()[0])
        return False if _close(total, parent.vectors()[0], c.tol) else None
    got = _bounds(parent, kids, c.tol)
    if got is None:
        return None
    if all(len(k.placements) == 1 for k in kids) and len(parent.placements) == 1 or c.tol:
        return got  # (rounded figures: the bounds, which allow for the rounding, are what is known)
    zero = tuple(0 for _ in range(parent.width))
    prefix: list[set[Vector]] = [{zero}]
    for k in kids:
        nxt = {_add(s, v) for s in prefix[-1] for v in set(k.vectors())}
        if len(nxt) > MAX_PARTIAL:
            return got  # too many combinations: the bounds are what is known
        prefix.append(nxt)
    suffix: list[set[Vector]] = [{zero}]
    for k in reversed(kids):
        nxt = {_add(s, v) for s in suffix[-1] for v in set(k.vectors())}
        if len(nxt) > MAX_PARTIAL:
            return got
        suffix.append(nxt)
    suffix.reverse()  # suffix[i]: sums of kids[i:]
    pvecs = set(parent.vectors())
    good_parent = pvecs & prefix[-1]
    if not good_parent:
        return None
    changed = parent.keep(good_parent) | got
    for i, k in enumerate(kids):
        ok = set()
        for v in set(k.vectors()):
            rest = suffix[i + 1]
            if any(_sub(_sub(p, a), v) in rest for p in good_parent for a in prefix[i]):
                ok.add(v)
        changed |= k.keep(ok)
    return changed


def _close(a: Vector, b: Vector, tol: int) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def _bounds(parent: Var, kids: list[Var], tol: int = 0) -> bool | None:
    """Parent = Σ kids, column by column, with bounds only: a kid's value is kept when the parent's
    value minus it lies between the least and the most the other kids can add up to (weaker than the
    exact sums, but as sound, and linear in the number of kids)."""
    changed = False
    for col in range(parent.width):
        lo = [min(v[col] for v in k.vectors()) for k in kids]
        hi = [max(v[col] for v in k.vectors()) for k in kids]
        slo, shi = sum(lo) - tol, sum(hi) + tol
        pv = {v[col] for v in parent.vectors()}
        good_p = {p for p in pv if slo <= p <= shi}
        if not good_p:
            return None
        changed |= parent.keep({v for v in parent.vectors() if v[col] in good_p})
        for i, k in enumerate(kids):
            olo, ohi = slo - lo[i], shi - hi[i]
            ok = {v for v in k.vectors() if any(olo <= p - v[col] <= ohi for p in good_p)}
            if not ok:
                return None
            changed |= k.keep(ok)
    return changed


def _equal(vs: list[Var], c: Equal) -> bool | None:
    a, b = vs[c.a], vs[c.b]
    av = {v[c.a_col] for v in a.vectors()}
    bv = {v[c.b_col] for v in b.vectors()}
    ok_a = {x for x in av if any(abs(x - y) <= c.tol for y in bv)}
    ok_b = {y for y in bv if any(abs(x - y) <= c.tol for x in av)}
    if not ok_a:
        return None
    changed = a.keep({v for v in a.vectors() if v[c.a_col] in ok_a})
    changed |= b.keep({v for v in b.vectors() if v[c.b_col] in ok_b})
    return changed


def _at_most(vs: list[Var], c: AtMost) -> bool | None:
    a, b = vs[c.a], vs[c.b]
    hi = max(v[c.b_col] for v in b.vectors()) + c.tol
    lo = min(v[c.a_col] for v in a.vectors()) - c.tol
    ok_a = {v for v in a.vectors() if v[c.a_col] <= hi}
    ok_b = {v for v in b.vectors() if v[c.b_col] >= lo}
    if not ok_a or not ok_b:
        return None
    return a.keep(ok_a) | b.keep(ok_b)


def solve(vs: list[Var], constraints: Sequence[Constraint]) -> list[Constraint]:
    """Narrow every variable's placements by the constraints, to a fixpoint. Returns the
    constraints no placement satisfies (the document's own arithmetic is wrong there)."""
    broken: list[Constraint] = []
    original = [list(v.placements) for v in vs]
    live = [c for c in constraints if _vars_of(c, vs)]
    used = list(live)
    changed = True
    rounds = 0
    while changed and rounds < 50:
        changed = False
        rounds += 1
        for c in list(live):
            if isinstance(c, RowSum):
                got = _row_sum(vs[c.var], c)
            elif isinstance(c, TreeSum):
                got = _tree_sum(vs, c)
            elif isinstance(c, AtMost):
                got = _at_most(vs, c)
            else:
                got = _equal(vs, c)
            if got is None:
                broken.append(c)
                live.remove(c)
                continue
            if got:
                changed = True
            if all(len(vs[i].placements) == 1 for i in _ids(c)):
                live.remove(c)  # every row it names is settled (and it holds): nothing more to learn
    # bounds reason column by column: a sum that holds in each column alone may still fail as a whole
    # (a document whose arithmetic is wrong). Every settled constraint is checked exactly; one that
    # fails gives its rows back every placement they had.
    for c in used:
        if c in broken or not all(len(vs[i].placements) == 1 for i in _ids(c)):
            continue
        if not _holds(vs, c):
            broken.append(c)
            for i in _ids(c):
                vs[i].placements = list(original[i])
    return broken


def _holds(vs: list[Var], c: Constraint) -> bool:
    if isinstance(c, RowSum):
        v = vs[c.var].vectors()[0]
        return abs(sum(v[t] for t in c.left) - sum(v[p] for p in c.parts)) <= c.tol
    if isinstance(c, TreeSum):
        total = tuple(0 for _ in range(vs[c.parent].width))
        for i in c.children:
            total = _add(total, vs[i].vectors()[0])
        return _close(total, vs[c.parent].vectors()[0], c.tol)
    if isinstance(c, AtMost):
        return vs[c.a].vectors()[0][c.a_col] <= vs[c.b].vectors()[0][c.b_col] + c.tol
    return abs(vs[c.a].vectors()[0][c.a_col] - vs[c.b].vectors()[0][c.b_col]) <= c.tol


def _ids(c: Constraint) -> tuple[int, ...]:
    if isinstance(c, RowSum):
        return (c.var,)
    if isinstance(c, TreeSum):
        return (c.parent, *c.children)
    return (c.a, c.b)


def _vars_of(c: Constraint, vs: list[Var]) -> bool:
    """A constraint is used only when every row it names has a placement."""
    if isinstance(c, RowSum):
        ids: tuple[int, ...] = (c.var,)
    elif isinstance(c, TreeSum):
        ids = (c.parent, *c.children)
        if any(vs[i].width != vs[c.parent].width for i in ids):
            return False
    else:
        ids = (c.a, c.b)
    return all(vs[i].placements for i in ids)


def settled(var: Var) -> tuple[tuple[int, ...] | None, tuple[bool, ...]]:
    """(the placement to store, per column: is its content proven). The placement is the first left
    (None when none is); a column is proven when every placement left agrees on what it holds and no
    broken identity puts it in doubt (``doubt``)."""
    if not var.placements:
        return None, tuple(False for _ in range(var.width))
    vecs = var.vectors()
    # a column is proven when every placement puts the same figure in it — or puts 0 in it (a
    # printed 0.00 or an empty cell: the same value, wherever the 0.00 stands)
    proven = tuple(len({v[c] for v in vecs}) == 1 and (vecs[0][c] == 0 or
                   len({_holder(var, p, c) for p in var.placements}) == 1) and c not in var.doubted
                   for c in range(var.width))
    return var.placements[0], proven


def _holder(var: Var, placement: tuple[int, ...], col: int) -> int:
    """Which figure (index) a placement puts in ``col``, or -1 for an empty cell."""
    for i, c in enumerate(placement):
        if c == col:
            return i
    return -1


# ---------------------------------------------------------------- figures a broken identity puts in doubt

def doubt(vs: list[Var], constraints: Sequence[Constraint], broken: Sequence[Constraint],
          hints: frozenset[int] = frozenset()) -> None:
    """Mark, in each ``Var.doubted``, the columns whose figure a broken identity puts in doubt.

    A document whose arithmetic is wrong somewhere (a figure shifted against its rows, a total that
    does not add up) has placements that are settled and still wrong. So every figure of a column in
    which an identity fails — a row sum, a parent = Σ children, a figure printed twice — is in doubt,
    and stays in doubt unless an identity that holds among figures *not* in doubt confirms it: a
    parent = Σ of two or more children, or the same figure printed in another table. A parent with a
    single child proves nothing about either (a shifted column carries both along), so the two share
    their doubt. ``hints`` (variables standing for a figure the narrative states) narrow placements
    but neither doubt nor confirm a table's figure."""
    bad: set[tuple[int, int]] = set()
    own_sum_broken = {c.var for c in broken if isinstance(c, RowSum)}
    for c in broken:
        if isinstance(c, RowSum):
            bad |= {(c.var, k) for k in (*c.left, *c.parts)}
        elif isinstance(c, TreeSum):
            # a row whose own parts do not add up is the culprit of a parent ≠ Σ children it is in
            culprits = [i for i in _ids(c) if i in own_sum_broken] or list(_ids(c))
            for col in _failing_columns(vs, c):
                bad |= {(i, col) for i in culprits}
        elif c.a not in hints and c.b not in hints:
            bad |= {(c.a, c.a_col), (c.b, c.b_col)}
    if not bad:
        return
    settled_ids = {i for i, v in enumerate(vs) if len(v.placements) == 1}
    links: dict[tuple[int, int], set[tuple[int, int]]] = {}
    strong: list[list[tuple[int, int]]] = []  # cells of an identity that holds, each confirming the others
    for c in constraints:
        if isinstance(c, TreeSum) and len(c.children) == 1 and c not in broken:
            for col in range(vs[c.parent].width):  # a parent and its only child: one figure, one doubt
                cells = [(i, col) for i in _ids(c)]
                links.setdefault(cells[0], set()).add(cells[1])
                links.setdefault(cells[1], set()).add(cells[0])
            continue
        if c in broken or not all(i in settled_ids for i in _ids(c)):
            continue
        if isinstance(c, TreeSum):
            for col in range(vs[c.parent].width):
                if col not in _failing_columns(vs, c):
                    strong.append([(i, col) for i in _ids(c)])
        elif isinstance(c, Equal) and c.a not in hints and c.b not in hints and _holds(vs, c):
            strong.append([(c.a, c.a_col), (c.b, c.b_col)])

    def group(cell: tuple[int, int]) -> set[tuple[int, int]]:
        seen, todo = {cell}, [cell]
        while todo:
            for n in links.get(todo.pop(), ()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen

    for cell in list(bad):
        bad |= group(cell)
    changed = True
    while changed:
        changed = False
        for cells in strong:
            doubtful = [x for x in cells if x in bad]
            if len(doubtful) == 1:  # every other figure of a holding identity is sound: so is this one
                bad -= group(doubtful[0])
                changed = True
    for i, col in bad:
        vs[i].doubted.add(col)


def _failing_columns(vs: list[Var], c: TreeSum) -> set[int]:
    """The columns in which parent = Σ children cannot hold for any placement left."""
    out = set()
    parent, kids = vs[c.parent], [vs[i] for i in c.children]
    if not parent.placements or not all(k.placements for k in kids):
        return set(range(parent.width))
    for col in range(parent.width):
        sums = {0}
        for k in kids:
            sums = {s + v[col] for s in sums for v in k.vectors()}
            if len(sums) > MAX_PARTIAL:
                break
        else:
            if not any(abs(p - t) <= c.tol for p in {v[col] for v in parent.vectors()} for t in sums):
                out.add(col)
    return out
