"""The reader of an indexation formula written in the contract's words: `P1 = P0 × (0,15 + 0,85 × S1 / S0)`.

The model keeps the formula as text; this reader accepts the usual shape only — a new price equal to the
old price times an expression of numbers (a decimal point or comma), index values (`S1`, `HICP0`) and
`+ − × ÷ ( )` (`x`, `*` and `/` too) — and gives the factor it applies to the price, exactly (fractions).
Anything else is not read, and the statement says the indexation is not applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

TOKEN = re.compile(r"\s*(?:(\d+(?:[.,]\d+)?)|([A-Za-z][A-Za-z_]*\d*)|([-+*/×÷−()=]))")
MAX_LENGTH = 300


@dataclass(frozen=True)
class Formula:
    """A formula read: the price variables (`P1`, `P0`), the index variables it reads, its tokens."""

    price: str  # the old price's variable, `P0`
    variables: tuple[str, ...]  # the index values, in order of appearance
    tokens: tuple[tuple[str, str], ...]  # the right-hand side: ("num" | "var" | "op", text)


def read(text: str) -> Formula | None:
    """The formula in `text`, when it has the shape `X1 = X0 × expression`; else None."""
    if len(text) > MAX_LENGTH or text.count("=") != 1:
        return None
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text.rstrip()):
        m = TOKEN.match(text, pos)
        if m is None:
            return None
        pos = m.end()
        number, name, sign = m.groups()
        if number is not None:
            tokens.append(("num", number.replace(",", ".")))
        elif name is not None:
            tokens.append(("op", "×") if name == "x" else ("var", name))
        else:
            tokens.append(("op", {"*": "×", "/": "÷", "−": "-"}.get(sign, sign)))
    if len(tokens) < 4 or tokens[0][0] != "var" or tokens[1] != ("op", "="):
        return None
    new = tokens[0][1]
    if not new.endswith("1"):
        return None
    price = new[:-1] + "0"
    rhs = tuple(tokens[2:])
    if rhs[:2] != (("var", price), ("op", "×")):
        return None
    variables = tuple(dict.fromkeys(t for k, t in rhs[2:] if k == "var"))
    if price in variables or new in variables:
        return None
    formula = Formula(price, variables, rhs[2:])
    try:
        evaluate(formula, {v: Fraction(1) for v in variables})
    except (ValueError, ZeroDivisionError):
        return None
    return formula


def evaluate(formula: Formula, values: dict[str, Fraction]) -> Fraction:
    """The factor the formula applies to the old price, for these index values (ValueError if ill-formed)."""
    tokens = list(formula.tokens)
    pos = 0

    def peek() -> tuple[str, str] | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError("the formula ends too soon")
        pos += 1
        return tokens[pos - 1]

    def expr(depth: int) -> Fraction:
        if depth > 20:
            raise ValueError("too deep")
        value = term(depth)
        while peek() in (("op", "+"), ("op", "-")):
            sign = take()[1]
            value = value + term(depth) if sign == "+" else value - term(depth)
        return value

    def term(depth: int) -> Fraction:
        value = atom(depth)
        while peek() in (("op", "×"), ("op", "÷")):
            sign = take()[1]
            right = atom(depth)
            value = value * right if sign == "×" else value / right
        return value

    def atom(depth: int) -> Fraction:
        kind, text = take()
        if kind == "num":
            return Fraction(text)
        if kind == "var":
            if text not in values:
                raise ValueError(f"no value for {text}")
            return values[text]
        if text == "(":
            value = expr(depth + 1)
            if take() != ("op", ")"):
                raise ValueError("a parenthesis is not closed")
            return value
        raise ValueError(f"unexpected {text}")

    value = expr(0)
    if pos != len(tokens):
        raise ValueError("text after the formula")
    return value
