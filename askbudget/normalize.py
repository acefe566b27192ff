"""Text normalisation and number reading for questions.

Why: users type full-width digits, traditional characters, stray spaces, invisible marks and
Chinese numerals; the parser should see one canonical form so the lexicon needs one spelling.

    normalize(text) -> str                    NFKC, 繁→简, invisible/control chars out, spaces, punctuation
    read_number(token) -> float | None        "1,234.5", "1.2万", "一千五百一十四", "百分之五", "零点八"
    chinese_numerals_to_digits(text) -> str   quantity numerals in running text → Arabic digits

Cost: stdlib only at import. opencc (~5 ms to import and build) is touched only when the text has
a character outside GB 2312, the simplified-only national character set — every traditional-only
character lies outside it, so simplified text never pays for opencc. No cn2an: the converter
below is small and exact (Decimal arithmetic).
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from . import lazyre

if TYPE_CHECKING:  # decimal (~1 ms) is imported only when a number is read
    from decimal import Decimal

# --------------------------------------------------------------------------- normalize

_CONVERTER: Any = None


def _t2s(text: str) -> str:
    """Traditional → simplified, only when the text can hold a traditional character."""
    try:
        text.encode("gb2312")
        return text  # every character is in the simplified set (or ASCII)
    except UnicodeEncodeError:
        pass
    global _CONVERTER
    if _CONVERTER is None:
        try:
            import opencc

            _CONVERTER = opencc.OpenCC("t2s")
        except Exception:  # noqa: BLE001 - a missing/broken opencc must not break questions
            _CONVERTER = False
    if _CONVERTER is False:
        return text
    try:
        return str(_CONVERTER.convert(text))
    except Exception:  # noqa: BLE001
        return text


# quotes and dashes NFKC leaves alone
_PUNCT = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u300c": '"', "\u300d": '"',
        "\u300e": '"', "\u300f": '"', "\u2018": "'", "\u2019": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u301c": "~", "\u3010": "[", "\u3011": "]",
        "\u3008": "<", "\u3009": ">", "\u300a": "<", "\u300b": ">",
    }
)
_WS = lazyre.compile(r"\s+")
# printable characters that still need _keep(): arrows, symbols, dingbats, variation selectors,
# emoji and everything above the BMP's pictographs
_ODD = lazyre.compile("[\u2190-\u2bff\ufe00-\ufe0f\U0001f000-\U0010ffff]")
# ASCII control characters: white-space ones become a space, the rest (NUL, ESC, DEL...) vanish
_ASCII_CONTROLS = {i: (" " if chr(i) in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f" else None) for i in (*range(32), 127)}


def _is_cjk(ch: str) -> bool:
    """A CJK ideograph or CJK punctuation (the characters a space between is meaningless)."""
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\u3400" <= ch <= "\u4dbf"
        or "\uf900" <= ch <= "\ufaff"
    )


def _drop_spaces(text: str) -> str:
    """Drop each single space between two CJK characters or a CJK character and a digit."""
    parts = text.split(" ")
    out = [parts[0]]
    last = parts[0][-1:]
    for part in parts[1:]:
        b = part[:1]
        if last and b and (
            (_is_cjk(last) and (_is_cjk(b) or b in "0123456789")) or (last in "0123456789" and _is_cjk(b))
        ):
            out.append(part)
        else:
            out.append(" ")
            out.append(part)
        last = part[-1:] or last
    return "".join(out)


def _keep(ch: str) -> str:
    """Map one character after NFKC: '' to drop it, ' ' for a separator, else itself."""
    cat = unicodedata.category(ch)
    if cat[0] == "C":  # Cc control, Cf format (zero-width, bidi, BOM), Co private, Cn unassigned
        return " " if ch in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85" else ""
    if cat == "So" or cat == "Sk":  # emoji, dingbats, modifier symbols
        return " "
    if cat == "Mn" and ("\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"):
        return ""  # variation selectors
    if cat == "Zl" or cat == "Zp":
        return " "
    return ch


def normalize(text: str) -> str:
    """The canonical form of a question (never raises on any ``str``).

    NFKC (full-width → ASCII: digits, letters, ？，（）：；！), traditional → simplified,
    control/zero-width/bidi/private-use characters and lone surrogates removed, emoji and other
    pictographs become a space, white space collapsed, spaces between two CJK characters (or a CJK
    character and a digit) dropped, curly quotes → ``"``, dashes → ``-``, Latin lower-cased.
    """
    if not isinstance(text, str):
        text = str(text)
    if not text:
        return ""
    if not text.isascii():  # lone surrogates cannot be encoded: drop them
        text = text.encode("utf-8", "ignore").decode("utf-8")
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        if not text.isprintable() or _ODD.search(text):
            text = "".join(_keep(ch) for ch in text)
        text = text.translate(_PUNCT)
        text = _t2s(text)
    else:
        text = text.translate(_ASCII_CONTROLS)
    text = _WS.sub(" ", text).strip()
    if " " in text:
        text = _drop_spaces(text)
    return text.lower()


# --------------------------------------------------------------------------- numbers

_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9, "幺": 1,
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
_UNITS = {**_SMALL_UNITS, **_BIG_UNITS}
# patterns compiled on first use (re's cache): import stays cheap for the one-shot CLI
_ARABIC = r"^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)([十百千万亿]*)$"


def _chinese_integer(s: str) -> int | None:
    """Exact value of a Chinese integer numeral ("一千五百一十四", "两百", "一万二", "二〇二二")."""
    if not s:
        return None
    if any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        return None
    if not any(ch in _UNITS for ch in s):
        if len(s) == 1:
            return _DIGITS[s]
        return int("".join(str(_DIGITS[ch]) for ch in s))  # digit by digit: 二〇二二
    total = 0  # finished 亿 groups
    section = 0  # value below the current 亿 group (may include a 万 part)
    small = 0  # value below 万 of the current group
    number: int | None = None
    last_unit = 1
    after_zero = False
    prev_small = 10**9  # small units must fall within a group: 千 > 百 > 十
    for ch in s:
        if ch in _DIGITS:
            if number is not None:
                return None  # two digits in a row inside a numeral with units: "五三百"
            number = _DIGITS[ch]
            if number == 0:
                after_zero = True
                number = None
            continue
        if ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= prev_small:
                return None
            if number is None:
                if unit != 10:
                    return None  # "百" or "千" needs a digit before it
                number = 1  # 十五 = 15, 一百十 = 110
            small += number * unit
            number = None
            prev_small = unit
            last_unit = unit
            after_zero = False
            continue
        unit = _BIG_UNITS[ch]
        group = small + (number or 0)
        if group == 0 and not section and not total:
            return None  # "万"/"亿" with nothing before it
        if unit == 10_000:
            section += group * 10_000
        else:
            total = (total + section + group) * 100_000_000
            section = 0
        small = 0
        number = None
        prev_small = 10**9
        last_unit = unit
        after_zero = False
    if number is not None:
        if last_unit >= 100 and not after_zero:
            number *= last_unit // 10  # 一万二 = 12000, 两千五 = 2500, 三百五 = 350
        small += number
    return total + section + small


def _chinese_decimal(s: str) -> Decimal | None:
    from decimal import Decimal

    head, sep, tail = s.partition("点")
    if not head:
        return None
    whole = _chinese_integer(head)
    if whole is None:
        return None
    if not sep:
        return Decimal(whole)
    if not tail or any(ch not in _DIGITS for ch in tail):
        return None
    return Decimal(f"{whole}.{''.join(str(_DIGITS[ch]) for ch in tail)}")


def _read_decimal(token: str) -> Decimal | None:
    from decimal import Decimal, InvalidOperation

    s = _WS.sub("", normalize(token)).replace(",", "")
    if not s:
        return None
    if s.startswith("百分之"):
        s = s[3:]
    elif s.startswith("千分之"):
        inner = _read_decimal(s[3:])
        return None if inner is None else inner / 10
    if not s:
        return None
    sign = 1
    if s[0] in "负-":
        sign, s = -1, s[1:]
    elif s[0] in "正+":
        s = s[1:]
    if s.endswith("%"):
        s = s[:-1]
    if not s:
        return None
    m = re.match(_ARABIC, s)
    if m:
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:
            return None
        for u in m.group(2):
            value *= _UNITS[u]
        return sign * value
    # Chinese numeral, possibly "3千" style mixed is handled above; trailing big unit after 点: 一点二万
    mult = 1
    while s and s[-1] in _BIG_UNITS and "点" in s:
        mult *= _BIG_UNITS[s[-1]]
        s = s[:-1]
    value = _chinese_decimal(s)
    if value is None:
        return None
    return sign * value * mult


def read_number(token: str) -> float | None:
    """The value of one number token, or None if it is not one.

    "1,234.5" → 1234.5, "95" → 95, "1.2万" → 12000, "3千" → 3000, "一千五百一十四" → 1514,
    "两百" → 200, "一万二" → 12000, "零点八" → 0.8, "二〇二二" → 2022, "百分之五" / "5%" → 5
    (the caller knows it is a percentage). Exact arithmetic (Decimal), then float.
    """
    try:
        value = _read_decimal(token)
    except (ArithmeticError, ValueError):  # decimal.InvalidOperation is an ArithmeticError
        return None
    return None if value is None else float(value)


# --------------------------------------------------------------------------- numerals in text

_RUN_DIGITS = "零〇○一二两三四五六七八九"
_RUN_UNITS = "十百千万亿"
_RUN = f"[{_RUN_DIGITS}{_RUN_UNITS}]+(?:点[{_RUN_DIGITS}]+)?"
# what may follow a lone numeral character for it to be a quantity ("三个", "两辆", "五年")
_MEASURE = set("个项辆台人名件次家位套张本所座处批种年月日天周岁倍成元角块条间栋层户架把支部份篇")
# multi-character measure words / units that follow a lone numeral
_MEASURE_WORDS = ("平方米", "平米", "万元", "亿元", "千元", "百元", "季度", "小时", "公里", "米")
_BEFORE_QUANTITY = set("前后近约共")  # "前三", "后五名", "共五个"
_FORMAL_SAFE_PREV = set("第")  # ordinals keep their form: 第一部分
# before a lone numeral these make a word, not a quantity: 上一年, 同一项, 每一个, 这一次, 唯一
_WORD_PREV = set("上下同每这那哪某任唯统之逐单其万")
_WORD_NEXT = ("次性", "体化", "把手", "系列", "揽子")  # 一次性, 一体化, 一把手, 一系列


def _format(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.normalize(), "f")
    return text


def chinese_numerals_to_digits(text: str) -> str:
    """Rewrite quantity numerals in running text as Arabic digits; leave words alone.

    Converted: "前三" → "前3", "两千" → "2000", "一千五百一十四件" → "1514件", "三个" → "3个",
    "二〇二二年"/"二零二二年" → "2022年", "零点八" → "0.8", "百分之五" → "5%".
    Untouched: words that merely contain numeral characters (三公经费, 一般公共预算, 统一, 之一,
    万一, 千万不要), list markers (一、, 十二、城乡社区支出), ordinals (第一部分), and bare units
    (万元, 十分). A lone numeral character is converted only before a measure word or after a
    quantity cue (前/后/近/约/共...), so words such as 三公 or 一般 never change.
    """
    if not text:
        return text
    out: list[str] = []
    pos = 0
    for m in re.finditer(_RUN, text):
        start, end = m.span()
        run = m.group()
        # a leading bare unit ("万一", "千万") cannot start a numeral: keep it as text
        lead = 0
        while lead < len(run) and run[lead] in "百千万亿":
            lead += 1
        start += lead
        run = run[lead:]
        if not run:
            continue
        replacement = _numeral_replacement(text, start, end, run)
        if replacement is None:
            continue
        new_start, value_text = replacement
        out.append(text[pos:new_start])
        out.append(value_text)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _numeral_replacement(text: str, start: int, end: int, run: str) -> tuple[int, str] | None:
    prev = text[start - 1] if start > 0 else ""
    nxt = text[end] if end < len(text) else ""
    if prev in _FORMAL_SAFE_PREV:
        return None  # 第一部分, 第三
    if nxt == "、" or nxt == "是" and run in _RUN_DIGITS:
        return None  # list markers: 一、 十二、; enumerations: 一是…二是…
    if prev == "(" and nxt == ")":
        return None  # list markers: (十二)
    # 百分之五 → 5%
    percent = text[max(0, start - 3):start] == "百分之"
    has_unit = any(ch in _RUN_UNITS for ch in run.split("点")[0])
    integer_part = run.split("点")[0]
    if not has_unit and len(integer_part) > 1:
        # digit strings: only years (二〇二二年) or anything written with 〇/零 inside
        is_year = len(integer_part) == 4 and nxt == "年"
        if not (is_year or "〇" in integer_part or "○" in integer_part or percent):
            return None
    elif len(run) == 1:
        if not percent and (prev in _WORD_PREV or text.startswith(_WORD_NEXT, end)):
            return None
        lone_ok = (
            nxt in _MEASURE
            or text.startswith(_MEASURE_WORDS, end)
            or (prev in _BEFORE_QUANTITY and (not nxt or not _is_cjk(nxt) or nxt in "的名"))
            or percent
        )
        if not lone_ok:
            return None
        if run in "零〇○" and not percent:
            return None
    value = _chinese_decimal(run)
    if value is None:
        return None
    if percent:
        return start - 3, _format(value) + "%"
    return start, _format(value)


__all__ = ["chinese_numerals_to_digits", "normalize", "read_number"]
