"""The front matter rules, kept as one JSON Schema per kind of source file (``schemas/``).

The check validates with them, editors use them for completion, and CONTRIBUTING.md's field
reference is generated from them: the rules live in one place.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Literal

from .frontmatter import SourceDocument
from .problems import Problem, did_you_mean

if TYPE_CHECKING:  # jsonschema is imported when a file with front matter is first checked
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

Kind = Literal["stage", "theme", "quotation", "page", "teaching"]
KINDS: tuple[Kind, ...] = ("stage", "theme", "quotation", "page", "teaching")
TYPE_NAMES = {"integer": "a whole number", "string": "text", "array": "a list", "object": "a block of fields",
              "number": "a number", "boolean": "true or false"}


def schema_text(name: str) -> str:
    return (files("build_tools") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


@cache
def schema(kind: Kind) -> dict[str, Any]:
    return json.loads(schema_text(kind))


@cache
def _validator(kind: Kind) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(kind))


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
    where = _name(error.absolute_path)
    prefix = f"{where}: " if where else ""
    subschema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return [(f"{prefix}missing field '{name}'", None) for name in missing]
    if error.validator == "additionalProperties":
        known = list(subschema.get("properties", {}))
        unknown = [name for name in error.instance if name not in known]
        listing = f" (known fields: {', '.join(known)})"
        return [(f"{prefix}unknown field '{name}'{did_you_mean(name, known, listing)}", name) for name in unknown]
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return [(f"field '{where}' must be {' or '.join(TYPE_NAMES.get(t, t) for t in wanted)}, not {error.instance!r}", None)]
    if error.validator == "pattern":
        return [(f"field '{where}' {subschema.get('x-message', 'has the wrong form')}, not {error.instance!r}", None)]
    if error.validator in ("minLength", "minItems"):
        return [(f"field '{where}' is empty", None)]
    if error.validator == "minimum":
        return [(f"field '{where}' must be {error.validator_value} or more, not {error.instance!r}", None)]
    if error.validator == "enum":
        return [(f"field '{where}': {error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}", None)]
    return [(f"{prefix}{error.message}", None)]


def _name(path: Any) -> str:
    name = ""
    for part in path:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name
