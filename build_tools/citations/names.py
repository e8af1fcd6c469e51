"""Names in a BibTeX value: BibTeX's forms ("Last, First", "First von Last", "von Last, Jr,
First") read by pybtex, and biblatex's extended form (``family=Manen, given=Max, prefix=van,
useprefix=true``), which Better BibTeX writes for names with particles."""

from __future__ import annotations

import re
from functools import lru_cache

from pybtex.database import Person
from pybtex.exceptions import PybtexError

from .latex import latex_text
from .model import Name

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_EXTENDED_PART = re.compile(r"^\s*(family|given|prefix|suffix|useprefix|juniorcomma|[a-z-]+-i)\s*=", re.IGNORECASE)


class UnreadableName(ValueError):
    """A name that cannot be read: pybtex's reason (as "Too many commas")."""


def split_names(value: str) -> list[str]:
    """A name list cut at " and " outside braces."""
    if "{" not in value and "}" not in value:  # no braces (most lists): every " and " cuts
        return [name.strip() for name in _AND.split(value) if name.strip()]
    names, depth, start = [], 0, 0
    index = 0
    while index < len(value):
        char = value[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isspace():
            match = _AND.match(value, index)
            if match:
                names.append(value[start:index])
                index = start = match.end()
                continue
        index += 1
    names.append(value[start:])
    return [name.strip() for name in names if name.strip()]


def read_names(value: str, useprefix: bool = True) -> tuple[Name, ...]:
    """Every name of a BibTeX name list; ``useprefix`` is biblatex's option: a particle is part of
    the family name unless an entry says ``useprefix=false``, as APA keeps "van Manen" whole.
    Raises :class:`UnreadableName` for a name that cannot be read."""
    return tuple(read_name(name, useprefix) for name in split_names(value))


@lru_cache(maxsize=8192)  # a bibliography names the same people again and again
def read_name(written: str, useprefix: bool = True) -> Name:
    if written.lower() == "others":
        return Name(last="others", is_others=True)
    if _EXTENDED_PART.match(written) and "=" in written:
        return _extended(written, useprefix)
    try:
        person = Person(written)
    except PybtexError as error:
        raise UnreadableName(str(error)) from None
    particle = latex_text(" ".join(person.prelast_names))
    return Name(
        last=latex_text(" ".join(person.last_names)),
        first=latex_text(" ".join(person.first_names + person.middle_names)),
        von=particle if useprefix else "",
        dropping="" if useprefix else particle,
        junior=latex_text(" ".join(person.lineage_names)),
    )


def _extended(written: str, useprefix: bool) -> Name:
    """``family=Manen, given=Max, prefix=van, useprefix=true``: biblatex's own name format."""
    parts: dict[str, str] = {}
    for piece in _split_outside_braces(written, ","):
        name, _, value = piece.partition("=")
        parts[name.strip().lower()] = value.strip().removeprefix("{").removesuffix("}") if _braced(value.strip()) else value.strip()
    if "family" not in parts and "given" not in parts:
        raise UnreadableName(f"a name in biblatex's extended form needs family= or given=: '{written}'")
    uses = parts.get("useprefix", "true" if useprefix else "false").lower() in ("true", "")
    particle = latex_text(parts.get("prefix", ""))
    return Name(
        last=latex_text(parts.get("family", "")),
        first=latex_text(parts.get("given", "")),
        von=particle if uses else "",
        dropping="" if uses else particle,
        junior=latex_text(parts.get("suffix", "")),
    )


def _braced(value: str) -> bool:
    """Whether the whole value is one {group}."""
    if not value.startswith("{") or not value.endswith("}"):
        return False
    depth = 0
    for index, char in enumerate(value):
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth == 0 and index < len(value) - 1:
            return False
    return True


def _split_outside_braces(value: str, separator: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(value):
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if char == separator and depth == 0:
            pieces.append(value[start:index])
            start = index + 1
    pieces.append(value[start:])
    return [piece for piece in pieces if piece.strip()]
