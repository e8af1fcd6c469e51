"""The front matter rules, kept as one JSON Schema per kind of source file (``schemas/``).

The check validates with them, editors use them for completion, and CONTRIBUTING.md's field
reference is generated from them: the rules live in one place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Literal

from ..problems import Problem, did_you_mean, excerpt
from .frontmatter import SourceDocument

if TYPE_CHECKING:  # jsonschema is imported when a file with front matter is first checked
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

Kind = Literal["stage", "theme", "quotation", "page", "teaching"]
KINDS: tuple[Kind, ...] = ("stage", "theme", "quotation", "page", "teaching")
TYPE_NAMES = {"integer": "a whole number", "string": "text", "array": "a list", "object": "a block of fields",
              "number": "a number", "boolean": "true or false"}
SHOWN_LENGTH = 60  # the characters of a value that a message quotes


@cache
def schema(kind: Kind) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((files("build_tools.sources") / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return loaded


@cache
def _validator(kind: Kind) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, validators

    # JSON Schema counts 1.0 as an integer and YAML reads "1.0" as a float: a stage numbered 1.0
    # would pass and break every page that shows its numeral. Integers here are whole numbers.
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, value: isinstance(value, int) and not isinstance(value, bool))
    strict = validators.extend(Draft202012Validator, type_checker=checker, validators={"pattern": _pattern})
    validator: Draft202012Validator = strict(schema(kind))
    return validator


def _pattern(validator: Any, pattern: str, instance: Any, _: Any) -> Iterator[ValidationError]:
    """JSON Schema's "pattern", but with "$" at the very end: Python's also matches before a final
    line break, so "x\n" would pass "^x$" (and an icon name "home\n" reach the theme)."""
    from jsonschema.exceptions import ValidationError

    anchored = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    if isinstance(instance, str) and not re.search(anchored, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def check_fields(document: SourceDocument, kind: Kind) -> list[Problem]:
    """Every way the document's front matter breaks its schema, each at the line of its field."""
    instance = {name: field.value for name, field in document.fields.items()}
    errors = sorted(_validator(kind).iter_errors(instance), key=lambda error: list(map(str, error.absolute_path)))
    problems = []
    for error in errors:
        for message, field in _messages(error):
            top = str(error.absolute_path[0]) if error.absolute_path else field
            problems.append(Problem(document.path, document.line_of(top) if top else document.front_matter_line, message))
    return problems


def _messages(error: ValidationError) -> list[tuple[str, str | None]]:
    """What is wrong, and (for an unknown top-level field) which field to point at."""
    where = excerpt(_name(error.absolute_path))
    prefix = f"{where}: " if where else ""
    subschema = error.schema if isinstance(error.schema, dict) else {}
    # Set on every error a validator yields (jsonschema's types also allow them unset).
    instance: Any = error.instance
    value: Any = error.validator_value
    if error.validator == "required":
        missing = [name for name in value if name not in instance]
        return [(f"{prefix}missing field '{name}'", None) for name in missing]
    if error.validator == "additionalProperties":
        known = list(subschema.get("properties", {}))
        unknown = [name for name in instance if name not in known]
        listing = f" (known fields: {', '.join(known)})"
        return [(f"{prefix}unknown field '{excerpt(name)}'{did_you_mean(str(name), known, listing)}", str(name)) for name in unknown]
    if error.validator == "type":
        wanted = value if isinstance(value, list) else [value]
        return [(f"field '{where}' must be {' or '.join(TYPE_NAMES.get(t, str(t)) for t in wanted)}, not {_shown(instance)}", None)]
    if error.validator == "pattern":
        return [(f"field '{where}' {subschema.get('x-message', 'has the wrong form')}, not {_shown(instance)}", None)]
    if error.validator in ("minLength", "minItems"):
        return [(f"field '{where}' is empty", None)]
    if error.validator in ("maximum", "minimum") and subschema.get("x-message"):
        return [(f"field '{where}' {subschema['x-message']}, not {_shown(instance)}", None)]
    if error.validator == "minimum":
        return [(f"field '{where}' must be {value} or more, not {_shown(instance)}", None)]
    if error.validator == "maximum":
        return [(f"field '{where}' must be {value} or less, not {_shown(instance)}", None)]
    if error.validator == "maxLength":
        return [(f"field '{where}' is longer than {value} characters", None)]
    if error.validator == "enum":
        return [(f"field '{where}': {_shown(instance)} is not one of {', '.join(map(repr, value))}", None)]
    return [(f"{prefix}{excerpt(error.message, 200)}", None)]


def _shown(value: Any) -> str:
    """A value as a message quotes it: exactly (a line break shows as \\n), and short."""
    if isinstance(value, str):
        return repr(value if len(value) <= SHOWN_LENGTH else value[:SHOWN_LENGTH - 1] + "…")
    return excerpt(value)


def _name(path: Any) -> str:
    name = ""
    for part in path:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name
