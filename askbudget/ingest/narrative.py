"""The narrative: sections with their outline path, the 机构设置 facts, and the 名词解释 glossary.

The ``#`` count of a heading is unreliable in converted documents (``## （二）加强公安严打整治工作``
sits under a ``#####`` sibling), so the outline is derived from numbering: 一、 / 第一部分 / （一） /
1、 / （1）. A number that continues a list open on the outline stack (its predecessor + 1) is that
list's sibling; a 1 opens a new list one level down; anything else is a sibling of the nearest list
of the same pattern. Unnumbered headings are children of the current heading (siblings of each
other); a single-``#`` unnumbered heading is a document title (level 0, not part of paths).

A numbered paragraph is a section of its own when it starts with a short heading phrase and goes on
(``（一）完善制度建设。制定…``) or states a money figure (``（二）公务接待费。安排0万元…``); long list
items (``（一）全面贯彻落实…``) stay text of their section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..normalize import read_number
from .model import Fact, Section, Term
from .reader import Heading, strip_tags

NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(r"^第\s*([一二三四五六七八九十]+)\s*部分")),
    ("cn", re.compile(r"^([一二三四五六七八九十百]+)\s*[、.．]")),
    ("pcn", re.compile(r"^[（(]\s*([一二三四五六七八九十百]+)\s*[)）]")),
    ("par", re.compile(r"^[（(]\s*(\d+)\s*[)）]")),
    ("ar", re.compile(r"^(\d{1,2})\s*[、.．](?!\d)")),
)
TERMINAL = "。！？!?；;：:”」）)"
MONEY_RE = re.compile(r"(?<![\d,.])\d[\d,]{0,23}(?:\.\d{1,6})?(?![\d,.])\s*(?:万元|亿元|元)")  # bounded: see statements.FIG_RE
# a 名词解释 entry: "1、术语：定义", "一、术语：定义" or "（一）术语：定义"
GLOSS_RE = re.compile(r"^(?:[-*•]\s*)?(\d+\s*[、.．](?!\d)|[一二三四五六七八九十]+\s*[、.．]|"
                      r"[（(]\s*[一二三四五六七八九十\d]+\s*[)）])\s*(.+?)\s*[:：]\s*(.*)$", re.S)
DEPTS_RE = re.compile(r"(?:设有|内设|下设)\s*(\d+)\s*个\s*([^：:，,。]{0,12}?)\s*[：:]\s*([^。]+)")
STAFF_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("编制数", re.compile(r"(?:核定|批复)?[^，。；]{0,6}编制\s*(\d+)\s*[名人个]")),
    ("在职人数", re.compile(r"(?:实有)?在职(?:人员|人数|教职工|职工|干部职工)?\s*(\d+)\s*[名人]")),
    ("在校学生数", re.compile(r"在校(?:学生|生)\s*(\d+)\s*[名人]")),
    ("退休人数", re.compile(r"(?:离)?退休(?:人员|人数)?\s*(\d+)\s*[名人]")),
)
NATURE_RE = re.compile(r"为([^，。、]{1,8}级)[、，]\s*([^，。、]{1,6}单位)[，,]\s*经费(?:保障)?形式(?:是|为)([^，。]{2,12})")


# a 决算's subject item: its classification path, two levels or more ("社会保障和就业支出（类）抚恤（款）死亡抚恤（项）")
CLASS_PATH_RE = re.compile(r"(?:[^（）()。；;，,“”：:]{1,30}?\s*[（(]\s*(?:类|款|项)\s*[)）]\s*){2,}")


@lru_cache(maxsize=1024)  # a heading's numbering: a few dozen distinct ones across all documents
def cn_int(s: str) -> int:
    """Chinese or Arabic numerals of a heading's numbering: 十九 → 19, 二十一 → 21 (0 if unreadable)."""
    n = read_number(s)
    return int(n) if n is not None and n == int(n) else 0


def numbering(text: str) -> tuple[str, int, int] | None:
    """(pattern, number, length of the numbering prefix) or None."""
    for name, rx in NUMBERING:
        m = rx.match(text)
        if m:
            return name, cn_int(m.group(1)), m.end()
    return None


@dataclass
class _Frame:
    pattern: str
    n: int
    level: int
    heading: str


@dataclass
class Outline:
    stack: list[_Frame] = field(default_factory=list)

    def place(self, heading: str, hashes: int) -> tuple[int, str]:
        """Put a heading on the outline; return (level, path)."""
        num = numbering(heading)
        if num is None:
            if hashes == 1:
                self.stack = []
                return 0, heading
            idx = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i].pattern == "U"), None)
            if idx is not None:
                level = self.stack[idx].level
                del self.stack[idx:]
            else:
                level = self.stack[-1].level + 1 if self.stack else 1
            self.stack.append(_Frame("U", 0, level, heading))
            return level, self._path()
        pattern, n, _ = num
        idx = next((i for i in range(len(self.stack) - 1, -1, -1)
                    if self.stack[i].pattern == pattern and self.stack[i].n + 1 == n), None)
        if idx is None and n != 1:
            idx = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i].pattern == pattern), None)
        if idx is not None:
            level = self.stack[idx].level
            del self.stack[idx:]
        else:
            level = self.stack[-1].level + 1 if self.stack else 1
        self.stack.append(_Frame(pattern, n, level, heading))
        return level, self._path()

    def _path(self) -> str:
        return " > ".join(f.heading for f in self.stack if f.level >= 1)


@dataclass(frozen=True)
class Paragraph:
    line: int
    text: str


def paragraphs(lines: list[str], start: int, end: int) -> list[Paragraph]:
    """The paragraphs of lines[start:end] (0-based), tab rows skipped. In the converted text each
    line is a paragraph; one that stops without closing punctuation is continued by the next
    (a page break or a wrap: joined without a gap) unless that next line starts a list item."""
    out: list[Paragraph] = []
    joinable = False
    for i in range(start, end):
        raw = lines[i]
        s = strip_tags(raw).strip()
        if not s or "\t" in raw:
            continue
        starts_item = bool(numbering(s) or GLOSS_RE.match(s) or s[:1] in "-*•")
        if out and joinable and not starts_item:
            prev = out.pop()
            out.append(Paragraph(prev.line, prev.text + s))
        else:
            out.append(Paragraph(i + 1, s))
        # a short numbered line standing alone ("（二）政府采购支出情况") is a heading: never run into the next
        # …and a classification path wrapped after its 类 or 款 ("…养老支出（款）" / "行政单位离退休（项），…") goes on
        joinable = (not out[-1].text.endswith(tuple(TERMINAL)) and not _numbered_phrase(out[-1].text)) \
            or bool(re.search(r"[（(](?:类|款)[)）]$", out[-1].text))
    return out


def _numbered_phrase(text: str) -> bool:
    num = numbering(text)
    body = text[num[2]:].strip() if num else ""
    return bool(num) and 1 < len(body) <= 20 and not re.search(r"[。，,；;：:、\d]", body)


def paragraph_heading(text: str) -> str | None:
    """The heading of a numbered paragraph that is a section of its own, else None."""
    num = numbering(text)
    if num is None:
        return None
    body = text[num[2]:].strip()
    path = CLASS_PATH_RE.match(body)
    if path:  # "14.节能环保支出（类）污染防治（款）大气（项），主要用于…": the item is its classification path
        return text[: num[2]].strip() + re.sub(r"\s+", "", path.group(0))
    m = re.match(r"([^。，,：:；;]{1,24})([。，,：:；;]|$)", body)
    if not m:
        return None
    phrase = m.group(1).strip()
    if not m.group(2) and not body[m.end():].strip() and len(phrase) <= 20:
        return text[: num[2]].strip() + phrase  # a numbered phrase standing alone
    has_money = bool(MONEY_RE.search(body))
    rest = body[m.end():].strip()
    if has_money:
        phrase = re.split(r"(?:共计|合计)?安排|预算安排|(?<=费)为|\d", phrase)[0].strip() or phrase
        return text[: num[2]].strip() + phrase
    if m.group(2) == "。" and rest and len(phrase) <= 16:
        return text[: num[2]].strip() + phrase
    return None


@dataclass
class _SectionBuilder:
    seq: int
    level: int
    heading: str
    path: str
    line: int
    parts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NarrativeResult:
    sections: tuple[Section, ...]
    paragraphs: tuple[tuple[int, Paragraph], ...]  # (section seq, paragraph) in order
    facts: tuple[Fact, ...]
    glossary: tuple[Term, ...]


def read_narrative(lines: list[str], headings: list[tuple[Heading, int]], table_facts: list[Fact]) -> NarrativeResult:
    """``headings``: the narrative headings with the 0-based end of their region (next heading)."""
    outline = Outline()
    builders: list[_SectionBuilder] = []
    paras: list[tuple[int, Paragraph]] = []
    for h, end in headings:
        level, path = outline.place(h.text, h.hashes)
        base = len(outline.stack)
        sec = _SectionBuilder(len(builders) + 1, level, h.text, path, h.line)
        builders.append(sec)
        current = sec
        for p in paragraphs(lines, h.line, end):
            ph = paragraph_heading(p.text)
            if ph is not None:
                snapshot = list(outline.stack)
                plevel, ppath = outline.place(ph, 6)
                if plevel > sec.level and len(outline.stack) > base:
                    current = _SectionBuilder(len(builders) + 1, plevel, ph, ppath, p.line)
                    builders.append(current)
                    current.parts.append(p.text)
                    paras.append((current.seq, p))
                    continue
                outline.stack = snapshot
            current.parts.append(p.text)
            paras.append((current.seq, p))
        del outline.stack[base:]  # paragraph sections do not outlive their heading's region
    sections = tuple(Section(b.seq, b.level, b.heading, b.path, "\n".join(b.parts), b.line) for b in builders)
    facts = _facts(paras, sections, table_facts)
    glossary = _glossary(paras, sections)
    return NarrativeResult(sections, tuple(paras), tuple(facts), tuple(glossary))


def _facts(paras: list[tuple[int, Paragraph]], sections: tuple[Section, ...], table_facts: list[Fact]) -> list[Fact]:
    by_seq = {s.seq: s for s in sections}
    facts = list(table_facts)
    have = {f.key for f in facts}
    for seq, p in paras:
        sec = by_seq[seq].heading
        m = DEPTS_RE.search(p.text)
        if m and "科室所队" not in have:
            names = [n.strip() for n in re.split(r"[、，,；;]", m.group(3)) if n.strip()]
            facts.append(Fact("科室所队", "、".join(names), sec, p.line))
            facts.append(Fact("科室数", m.group(1), sec, p.line))
            have |= {"科室所队", "科室数"}
        for key, rx in STAFF_RULES:
            sm = rx.search(p.text)
            if sm and key not in have:
                facts.append(Fact(key, sm.group(1), sec, p.line))
                have.add(key)
        nm = NATURE_RE.search(p.text)
        if nm:
            for key, val in (("单位规格", nm.group(1)), ("单位性质", nm.group(2).removesuffix("单位")),
                             ("经费保障形式", nm.group(3))):
                if key not in have:
                    facts.append(Fact(key, val.strip(), sec, p.line))
                    have.add(key)
    return facts


def _glossary(paras: list[tuple[int, Paragraph]], sections: tuple[Section, ...]) -> list[Term]:
    gloss_seqs = {s.seq for s in sections if "名词解释" in s.heading}
    out: list[Term] = []
    for seq, p in paras:
        if seq not in gloss_seqs:
            continue
        m = GLOSS_RE.match(p.text)
        if m:
            term = m.group(2).strip().strip("*").strip()
            out.append(Term(len(out) + 1, term, m.group(3).strip(), p.line))
        elif out:
            last = out[-1]
            out[-1] = Term(last.seq, last.term, last.definition + p.text, last.line)
    return out
