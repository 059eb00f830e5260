"""One amount parser for every spelling a report uses.

`2 175 000kr`, `kr. 8 581 430.-`, `kr 4,25 mill.`, `7,45 mill. kroner`, `2,3 millioner`,
`283 430`, `2 millioner kroner`, `10 mill. kr`, `400000`, `Kr. 2 300 000,-`, `14,0 mill. kr`,
with ordinary, thin, narrow no-break or no-break spaces as thousands separators, and wrapped
amounts once their lines are joined with a space (`kr. 19 087 \\n739,-`).

`parse_amount(text)` reads one amount (the whole string) and returns NOK as an int, or None.
`find_amounts(text)` finds every amount in running text, each with its span and whether it is
marked as money (a `kr`/`kroner`/`mill.` word or a `,-` tail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Optional

# Every space-like character a PDF producer may put between digit groups.
SPACES = " \u00a0\u2009\u202f\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006"
_S = f"[{SPACES}]"

_NUMBER_WORDS = {
    "null": 0, "en": 1, "ett": 1, "ei": 1, "én": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
    "seks": 6, "sju": 7, "syv": 7, "åtte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12,
    "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17, "atten": 18,
    "nitten": 19, "tjue": 20, "tyve": 20,
}

_MULTIPLIERS = {
    "mill": 1_000_000, "mill.": 1_000_000, "million": 1_000_000, "millioner": 1_000_000,
    "mrd": 1_000_000_000, "mrd.": 1_000_000_000, "milliard": 1_000_000_000,
    "milliarder": 1_000_000_000,
}

# Digits: thousands-grouped with a space-like character or a dot, or plain, optional decimals.
_GROUPED = rf"\d{{1,3}}(?:{_S}\d{{3}})+(?!\d)"
_DOTTED = r"\d{1,3}(?:\.\d{3})+(?!\d)"
_PLAIN = r"\d+"
_NUM = rf"(?P<num>{_GROUPED}|{_DOTTED}|{_PLAIN})(?:,(?P<dec>\d{{1,2}})(?!\d))?"
_PREFIX = rf"(?P<prefix>\b(?:[Kk]r|KR|NOK)\.?{_S}*)"
_MULT = r"(?P<mult>mill(?:ioner|ion)?\.?|mrd\.?|milliard(?:er)?)"
_CURRENCY = r"(?:kr\b\.?|kroner\b|NOK\b)"
_TAIL = r"(?P<tail>[,.][-–])"

AMOUNT_RE = re.compile(
    rf"(?<![\w,.]){_PREFIX}?{_NUM}"
    rf"(?:{_S}*{_MULT}(?:{_S}*(?P<cur1>{_CURRENCY}))?"
    rf"|{_S}*(?P<cur2>{_CURRENCY})"
    rf"|{_TAIL})?"
    rf"(?P<tail2>{_S}?[,.][-–])?"
)


@dataclass(frozen=True)
class AmountMatch:
    """An amount found in text: where it is, what it says, what it is worth."""

    start: int
    end: int
    text: str
    value: int
    is_money: bool


def _digits_value(num: str, dec: Optional[str]) -> Decimal:
    digits = re.sub(rf"[{SPACES}.]", "", num)
    return Decimal(digits + ("." + dec if dec else ""))


def _match_value(m: re.Match) -> Optional[int]:
    try:
        value = _digits_value(m.group("num"), m.group("dec"))
    except InvalidOperation:
        return None
    mult = m.group("mult")
    if mult:
        value *= _MULTIPLIERS[mult.lower().rstrip(".")]
    elif m.group("dec"):
        # "2 175 000,50"-style øre or a decimal without a million word is not an NOK integer
        # amount; round half up to whole kroner.
        value = value.quantize(Decimal(1))
    return int(value)


def find_amounts(text: str) -> list[AmountMatch]:
    """Every amount-like number in `text`, in order. Never raises on any str."""
    out: list[AmountMatch] = []
    for m in AMOUNT_RE.finditer(text):
        value = _match_value(m)
        if value is None:
            continue
        is_money = bool(m.group("prefix") or m.group("mult") or m.group("cur1")
                        or m.group("cur2") or m.group("tail") or m.group("tail2"))
        matched = m.group(0).rstrip(SPACES)
        out.append(AmountMatch(m.start(), m.start() + len(matched), matched, value, is_money))
    return out


def parse_amount(text: str) -> Optional[int]:
    """The NOK value of `text` if the whole of it is one amount, else None."""
    s = text.strip(SPACES + "\n\t")
    if not s:
        return None
    found = find_amounts(s)
    if len(found) != 1:
        return None
    m = found[0]
    if m.start != 0 or m.end != len(s):
        return None
    return m.value


def parse_count(text: str) -> Optional[int]:
    """A count written in digits (`120`, `11 393`) or as a Norwegian number word (`åtte`)."""
    s = text.strip(SPACES + "\n\t").lower()
    if s in _NUMBER_WORDS:
        return _NUMBER_WORDS[s]
    if re.fullmatch(rf"\d{{1,3}}(?:{_S}\d{{3}})*|\d+", s):
        return int(re.sub(rf"[{SPACES}]", "", s))
    return None


NUMBER_WORD_PATTERN = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
COUNT_PATTERN = rf"(?<![\w,.])(?:\d{{1,3}}(?:{_S}\d{{3}})+|\d+|(?:{NUMBER_WORD_PATTERN})\b)"
