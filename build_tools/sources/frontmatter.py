"""Split a Markdown source into YAML front matter and body, keeping line numbers.

YAML's own marks give the line of every field, so a message can point at the exact line a
contributor has to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..characters import FORBIDDEN, has_forbidden
from ..problems import Problem, excerpt


@dataclass(frozen=True)
class Field:
    """One front-matter value and the line it stands on."""

    value: Any
    line: int


@dataclass(frozen=True)
class SourceDocument:
    """A source file read and split: its fields, its body and where the body starts."""

    path: str
    fields: dict[str, Field]
    body: str
    body_line: int
    front_matter_line: int = 1
    problems: tuple[Problem, ...] = field(default=())

    def line_of(self, name: str) -> int:
        found = self.fields.get(name)
        return found.line if found else self.front_matter_line


# Front matter exactly as MkDocs finds it (mkdocs.utils.meta.YAML_RE): a first line "---", YAML,
# and the first line after it that is "---" or "..." from its first column. Any other reading
# (a " ---" line taken for the end, say) would let MkDocs see fields that the check never saw.
_OPENING = re.compile(r"-{3}[ \t]*\n")
_FRONT_MATTER = re.compile(r"-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def has_front_matter(text: str) -> bool:
    """Whether ``text`` (with LF line ends) starts as MkDocs takes front matter to start."""
    return _OPENING.match(text) is not None


def read_source(path: str, text: str) -> SourceDocument:
    """Parse ``text`` (the contents of ``path``, with LF line ends); problems are collected, never raised."""
    if not has_front_matter(text):
        return SourceDocument(path, {}, text, 1, problems=(Problem(path, 1, "missing front matter: "
                                                                            "the file must start with a line '---'"),))
    found = _FRONT_MATTER.match(text)
    if found is None:
        return SourceDocument(path, {}, "", text.count("\n") + 1, problems=(Problem(
            path, 1, "front matter is not closed: add a line '---', at the start of the line and ending with a line break, "
                     "after the last field"),))
    yaml_text = found.group(1)
    body = text[found.end():]
    body_line = yaml_text.count("\n") + 3

    def refused(line: int, message: str, column: int = 1) -> SourceDocument:
        return SourceDocument(path, {}, body, body_line, problems=(Problem(path, line, message, column=column),))

    try:
        fields, repeated = _parse_fields(yaml_text, first_line=2)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        column = mark.column + 1 if mark else 1
        reason = error.problem or error.context or "invalid YAML"
        return refused(line, f"broken YAML in front matter: {reason}", column)
    except yaml.YAMLError as error:
        return refused(2, f"broken YAML in front matter: {excerpt(str(error), 200)}")
    except (ValueError, TypeError, OverflowError) as error:  # a value YAML reads but cannot build: 2000-02-30
        return refused(2, f"broken YAML in front matter: {excerpt(str(error), 200)}")
    except _TooLarge as error:
        return refused(2, f"front matter refused: {error}")
    if fields is None:
        return refused(2, "front matter must be a list of 'name: value' fields (MkDocs would show these lines as text)")
    problems = [Problem(path, line, f"field '{excerpt(name)}' is given twice (first at line {fields[name].line})")
                for name, line in repeated]
    if not FORBIDDEN.search(yaml_text):  # written as characters, the text check reports them already
        problems += [Problem(path, field.line, f"field '{excerpt(name)}' holds a control character (a YAML escape such as "
                                               "\\x01?) that cannot be published")
                     for name, field in fields.items() if has_forbidden(field.value)]
    return SourceDocument(path, fields, body, body_line, problems=tuple(problems))


# libyaml's loader when PyYAML was built with it: the same marks, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Aliases let a few lines of YAML stand for billions of values ("billion laughs"): front matter
# expanding to more than this many is refused before anything walks it.
MAX_VALUES = 10_000
MAX_DEPTH = 32
MAX_DIGITS = 40  # no field needs more; Python will not even write out a number of 4,300 digits
_INTEGER = "tag:yaml.org,2002:int"


class _TooLarge(Exception):
    """The front matter expands (through aliases) beyond MAX_VALUES values, into itself, or too deep."""


def _expanded_size(node: yaml.Node, sizes: dict[int, int | None], depth: int = 0) -> int:
    """How many values ``node`` stands for once every alias is expanded (each node counted once)."""
    if depth > MAX_DEPTH:
        raise _TooLarge(f"its values nest more than {MAX_DEPTH} levels deep")
    known = sizes.get(id(node), 0)
    if known is None:
        raise _TooLarge("an alias refers to the value that contains it")
    if known:
        return known
    sizes[id(node)] = None  # being counted: meeting it again inside itself is a loop
    children: list[yaml.Node] = []
    if isinstance(node, yaml.ScalarNode) and node.tag == _INTEGER and len(node.value) > MAX_DIGITS:
        raise _TooLarge(f"it holds a number of more than {MAX_DIGITS} digits")
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    total = 1
    for child in children:
        total += _expanded_size(child, sizes, depth + 1)
        if total > MAX_VALUES:
            raise _TooLarge(f"it expands to more than {MAX_VALUES:,} values (through YAML aliases?)")
    sizes[id(node)] = total
    return total


def _parse_fields(yaml_text: str, first_line: int) -> tuple[dict[str, Field] | None, list[tuple[str, int]]]:
    """The top-level fields with their lines, and any field name that is repeated."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:  # YAML of comments alone: MkDocs would keep these lines as the page's text
            return None, []
        if not isinstance(node, yaml.MappingNode):
            return None, []
        _expanded_size(node, {})
        fields: dict[str, Field] = {}
        repeated: list[tuple[str, int]] = []
        for key_node, value_node in node.value:
            name = str(loader.construct_object(key_node, deep=True))
            line = key_node.start_mark.line + first_line
            if name in fields:
                repeated.append((name, line))
                continue
            fields[name] = Field(loader.construct_object(value_node, deep=True), line)
        return fields, repeated
    finally:
        loader.dispose()
