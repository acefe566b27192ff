"""Table kinds, recognised by the words of their title (never by position in the document).

Rules are data: each entry is (kind, words that must all occur, words that must not occur); the first
matching entry wins, so the more specific titles come first. A heading only names a table when tab
rows follow it — ``六、政府采购预算情况`` (narrative) and ``单位政府采购预算`` (table) share words.
"""
from __future__ import annotations

KIND_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("绩效目标表", ("绩效目标表",), ()),
    ("财政拨款收支总表", ("财政拨款", "收支总表"), ()),
    ("收支总表", ("收支总表",), ()),
    ("收入总表", ("收入总表",), ()),
    ("支出总表", ("支出总表",), ()),
    ("三公经费支出表", ("三公",), ()),
    ("一般公共预算财政拨款基本支出表", ("基本支出表",), ()),
    ("一般公共预算财政拨款支出表", ("一般公共预算", "支出表"), ()),
    ("政府性基金预算财政拨款支出表", ("基金", "支出表"), ()),
    ("国有资本经营预算财政拨款支出表", ("国有资本", "支出表"), ()),
    ("政府采购预算表", ("政府采购", "预算"), ("情况",)),
    ("固定资产占用情况表", ("固定资产",), ()),
    ("机构设置表", ("机构设置",), ()),
)

KINDS: tuple[str, ...] = tuple(k for k, _, _ in KIND_RULES)

# kinds whose column headers have no 栏次 line: how many header rows they carry
HEADER_ROWS: dict[str, int] = {"政府采购预算表": 2, "固定资产占用情况表": 1, "机构设置表": 1}

# the kinds a standard disclosure prints with a 栏次 line and 序号 column (empty ones carry a 注)
TEMPLATE_KINDS: tuple[str, ...] = KINDS[1:10]

TWO_SIDED: frozenset[str] = frozenset({"收支总表", "财政拨款收支总表"})


def kind_of(title: str) -> str | None:
    t = title.replace(" ", "").replace("“", "").replace("”", "").replace('"', "")
    for kind, must, must_not in KIND_RULES:
        if all(w in t for w in must) and not any(w in t for w in must_not):
            return kind
    return None
