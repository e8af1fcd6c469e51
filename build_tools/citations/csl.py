"""CSL-JSON and CSL-YAML bibliographies (Zotero's "CSL JSON" export, pandoc's YAML references),
read into the same :class:`~.model.Work` as BibTeX, so the same work gives the same output.

Titles are taken as written: CSL data is in sentence case already (Zotero asks for it), unlike
BibTeX's title case. Every problem is reported with its line: a file that does not parse, an item
without ``id``, a key given twice, a name or date of the wrong shape.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

import yaml

from ..characters import FORBIDDEN
from ..locations import Location
from ..problems import Problem, excerpt
from ..urls import link_errors
from .fields import unshown_field
from .model import CONFIDENCE_LEVELS, Date, Name, Reference, Work
from .richtext import csl_markup

CSL_SUFFIXES = (".json", ".yaml", ".yml")
_TEXT_VARIABLES = {  # CSL variable -> the Work's field; text that may hold formatting
    "title": "title", "title-short": "title_short", "shortTitle": "title_short", "container-title": "container_title",
    "volume-title": "volume_title", "collection-title": "collection_title", "event": "event", "event-title": "event",
    "genre": "genre", "medium": "medium", "publisher": "publisher", "note": "note",
}
_PLAIN_VARIABLES = {
    "collection-number": "collection_number", "volume": "volume", "number-of-volumes": "number_of_volumes", "issue": "issue",
    "page": "page", "number": "number", "edition": "edition", "version": "version", "publisher-place": "publisher_place",
    "event-place": "event_place", "authority": "authority", "jurisdiction": "jurisdiction", "status": "status", "DOI": "doi",
    "URL": "url", "ISBN": "isbn",
    "ISSN": "issn", "language": "language",
}
_NAME_VARIABLES = {"author": "author", "editor": "editor", "translator": "translator", "container-author": "container_author",
                   "director": "director"}
_DATE_VARIABLES = {"issued": "issued", "original-date": "original_date", "accessed": "accessed"}
JURISDICTIONS = {"US": "U.S.", "GB": "U.K.", "UK": "U.K.", "DE": "German", "FR": "French", "EP": "European", "EU": "European",
                 "JP": "Japanese", "CA": "Canadian", "WO": "WIPO"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where PyYAML has it: the same marks, faster
_EDTF = re.compile(r"(-?[0-9]{1,4})(?:-([0-9]{1,2}))?(?:-([0-9]{1,2}))?")
# Every variable read: any other is published with the file but not shown, and the check says so.
READ_VARIABLES = frozenset({"id", "citation-key", "type", "annote", "confidence", *_TEXT_VARIABLES, *_PLAIN_VARIABLES, *_NAME_VARIABLES,
                            *_DATE_VARIABLES})


def is_csl(path: str) -> bool:
    return path.lower().endswith(CSL_SUFFIXES)


@lru_cache(maxsize=2)  # the check reads the keys first, then the references
def read_csl(text: str, path: str) -> tuple[list[tuple[Reference, str]], list[Problem]]:
    """Each item as a reference with its canonical JSON text (what identifies it for the cache),
    and every problem found."""
    items, lines, problems = _items(text, path)
    references: list[tuple[Reference, str]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else 1
        if not isinstance(item, dict):
            problems.append(Problem(path, line, "a CSL item must be an object with an \"id\" and a \"type\""))
            continue
        written_id = item.get("id")
        key = str(written_id).strip() if isinstance(written_id, str | int) and not isinstance(written_id, bool) else ""
        if not key:
            problems.append(Problem(path, line, "a CSL item has no \"id\": the key it is cited by"))
            continue
        if key in seen:
            problems.append(Problem(path, line, f"duplicate id '{excerpt(key)}' (first given at line {seen[key]})"))
            continue
        seen[key] = line
        forbidden = _forbidden_character(item)
        if forbidden:
            problems.append(Problem(path, line, f"item '{excerpt(key)}': the character U+{ord(forbidden):04X} cannot be published "
                                                "(XML 1.0 forbids it, and the codebook export is XML): delete it"))
            continue
        try:
            work = work_from_csl(item)
            confidence = _scalar("confidence", item.get("confidence", "certain")).lower()
            annote = _scalar("annote", item.get("annote", ""))
        except ValueError as error:
            problems.append(Problem(path, line, f"item '{excerpt(key)}': {error}"))
            continue
        if confidence not in CONFIDENCE_LEVELS:
            problems.append(Problem(path, line, f"item '{excerpt(key)}': confidence must be one of {', '.join(CONFIDENCE_LEVELS)}, "
                                                f"not '{excerpt(confidence)}'"))
        problems += [Problem(path, line, unshown_field("item", key, name), "notice") for name in item if name not in READ_VARIABLES]
        if not work.author and not work.editor and not work.title:
            problems.append(Problem(path, line, f"item '{excerpt(key)}' has no author, editor or title to cite it by"))
        for name, message in link_errors({"doi": work.doi, "url": work.url}).items():
            problems.append(Problem(path, line, f"item '{excerpt(key)}': {name.upper()}: {message}"))
        reference = Reference(key, work, confidence if confidence in CONFIDENCE_LEVELS else "unknown",  # type: ignore[arg-type]
                              annote, Location(path, line))
        references.append((reference, json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)))
    return references, problems


def _items(text: str, path: str) -> tuple[list[Any], list[int], list[Problem]]:
    """The file's items and the line each starts on; a file that does not parse is one problem, at its place."""
    if path.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            return [], [], [Problem(path, error.lineno, f"not valid CSL-JSON: {error.msg}", column=error.colno)]
        except RecursionError:
            return [], [], [Problem(path, 1, "not valid CSL-JSON: its values nest too deep")]
        except ValueError as error:  # a number of more digits than Python reads
            return [], [], [Problem(path, 1, f"not valid CSL-JSON: {error}")]
        items = data if isinstance(data, list) else data.get("items", []) if isinstance(data, dict) else []
        return items, _json_lines(text, items), ([] if isinstance(data, list | dict) else
                                                 [Problem(path, 1, "CSL-JSON is a list of items")])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        alias = _alias(node)
        if alias is not None:  # a few lines of aliases can stand for billions of values ("billion laughs")
            return [], [], [Problem(path, alias.start_mark.line + 1, "CSL-YAML with aliases (*name) is not accepted: write each "
                                                                     "value out", column=alias.start_mark.column + 1)]
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [], [Problem(path, mark.line + 1 if mark else 1, f"not valid CSL-YAML: {getattr(error, 'problem', error)}",
                                column=mark.column + 1 if mark else 1)]
    except RecursionError:
        return [], [], [Problem(path, 1, "not valid CSL-YAML: its values nest too deep")]
    except (ValueError, TypeError, OverflowError) as error:  # a value PyYAML cannot make: 2020-02-30, a number of 5,000 digits
        return [], [], [Problem(path, 1, f"not valid CSL-YAML: {error}")]
    finally:
        loader.dispose()
    if isinstance(data, dict) and "references" in data:
        data, node = data["references"], next((value for key, value in getattr(node, "value", ()) if key.value == "references"), None)
    if not isinstance(data, list):
        return [], [], [Problem(path, 1, "CSL-YAML is a list of items (or a 'references:' list)")]
    lines = [child.start_mark.line + 1 for child in getattr(node, "value", None) or []]
    return data, lines, []


def _alias(root: yaml.Node | None) -> yaml.Node | None:
    """The first node met twice (an alias's target, written once and used again), if any."""
    seen: set[int] = set()
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            pending += node.value
        elif isinstance(node, yaml.MappingNode):
            pending += [part for pair in node.value for part in pair]
    return None


_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?[0-9]+)')


def _json_lines(text: str, items: list[Any]) -> list[int]:
    """The line of each item's ``"id"`` (JSON's parser keeps no positions): the ids written in the
    text are met in the items' order, so one pass over the text finds them all."""
    lines = []
    ids = _ID.finditer(text)
    line, counted = 1, 0
    for item in items:
        key = item.get("id") if isinstance(item, dict) else None
        for found in ids:
            line += text.count("\n", counted, found.start())
            counted = found.start()
            if _same_id(found.group(1), key):
                break
        lines.append(line)
    return lines


def _same_id(written: str, key: object) -> bool:
    try:
        return bool(json.loads(written) == key)
    except ValueError:
        return False


def work_from_csl(item: Mapping[str, Any]) -> Work:
    """One CSL item as a work; ValueError names a variable of the wrong shape."""
    values: dict[str, Any] = {"kind": _scalar("type", item.get("type", "document")) or "document"}
    for variable, field in _TEXT_VARIABLES.items():
        if item.get(variable) not in (None, "") and field not in values:
            values[field] = csl_markup(_apostrophes(_scalar(variable, item[variable])))
    for variable, field in _PLAIN_VARIABLES.items():
        if item.get(variable) not in (None, ""):
            values[field] = _scalar(variable, item[variable])
    if values.get("jurisdiction"):  # Zotero writes the country as a code: "US"
        values["jurisdiction"] = JURISDICTIONS.get(values["jurisdiction"].upper(), values["jurisdiction"])
    for variable, field in _NAME_VARIABLES.items():
        if item.get(variable):
            values[field] = tuple(_name(variable, name) for name in _list(variable, item[variable]))
    for variable, field in _DATE_VARIABLES.items():
        if item.get(variable) not in (None, ""):
            values[field] = _date(variable, item[variable])
    return Work(**values)


def _forbidden_character(value: object) -> str:
    """A character XML 1.0 forbids, anywhere in an item's values (JSON's "\\u0001" too)."""
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, str):
            found = FORBIDDEN.search(current)
            if found:
                return found.group()
        elif isinstance(current, dict):
            pending += [*current.keys(), *current.values()]
        elif isinstance(current, list):
            pending += current
    return ""


def _apostrophes(text: str) -> str:
    """A typewriter apostrophe as the typographic one BibTeX's ' becomes, so that "O'Brien" reads
    alike from either file (citeproc does the same)."""
    return text.replace("'", "’") if "'" in text else text


def _scalar(variable: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{variable} must be text or a number")
    return str(value).strip()


def _list(variable: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{variable} must be a list of names")
    return value


def _name(variable: str, value: Any) -> Name:
    if not isinstance(value, dict):
        raise ValueError(f"{variable}: a name must be an object with \"family\" and \"given\" (or \"literal\")")
    if value.get("literal"):
        return Name(last=_apostrophes(_scalar(variable, value["literal"])))
    family = _scalar(variable, value.get("family", ""))
    particle = _scalar(variable, value.get("non-dropping-particle", ""))
    return Name(last=_apostrophes(family), first=_apostrophes(_scalar(variable, value.get("given", ""))), von=particle,
                dropping=_scalar(variable, value.get("dropping-particle", "")), junior=_scalar(variable, value.get("suffix", "")))


def _date(variable: str, value: Any) -> Date:
    """CSL's ``{"date-parts": [[2020, 3, 15]]}``, ``{"literal": ...}`` or ``{"raw": ...}``, or
    pandoc's YAML forms (``2020-03-15``, ``{year: 2020}``); ValueError for anything else."""
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and 1 <= len(parts[0]) <= len(("y", "m", "d")):
            start = _checked_date(variable, *parts[0])
            if len(parts) > 1 and isinstance(parts[1], list) and parts[1]:  # a range: [[1984], [1986]]
                end = _checked_date(variable, *parts[1][:3])
                return replace(start, end_year=end.year if end.year != start.year else "")
            return start
        if value.get("year") is not None:
            return _checked_date(variable, value["year"], value.get("month") or 0, value.get("day") or 0)
        for literal in ("literal", "raw"):
            if isinstance(value.get(literal), str) and value[literal].strip():
                return _date(variable, value[literal])
        raise ValueError(f"{variable} must be a date: {{\"date-parts\": [[2020, 3, 15]]}}")
    if isinstance(value, bool) or not isinstance(value, str | int | datetime.date):
        raise ValueError(f"{variable} must be a date: {{\"date-parts\": [[2020, 3, 15]]}}")
    written = value.isoformat() if isinstance(value, datetime.date) else str(value).strip()
    match = _EDTF.fullmatch(written)
    if match:
        return _checked_date(variable, *(part for part in match.groups() if part))
    return Date(literal=written)


def _checked_date(variable: str, year: object, month: object = 0, day: object = 0) -> Date:
    """A year of at most four digits, a month of 1 to 12 and a day of 1 to 31 (or none)."""
    numbers = []
    for part, allowed in ((year, range(-9999, 10000)), (month, range(13)), (day, range(32))):
        written = str(part).strip() if isinstance(part, str | int) and not isinstance(part, bool) else ""
        if not re.fullmatch(r"-?[0-9]{1,4}", written) or int(written) not in allowed:
            raise ValueError(f"{variable}: {excerpt(str(part))!r} is not a year, month or day of a date")
        numbers.append(int(written))
    return Date(str(numbers[0]), numbers[1], numbers[2])
