"""The one way this package loads its Jinja2 templates.

HTML, XML and Markdown pages are autoescaped; plain-text formats (RIS, the generated Markdown
reports that contain no HTML of ours) are not. Text from the sources that a Markdown template
writes (a label, a title, a teaching question) goes through the ``text`` filter, so Markdown
sees no syntax in it either. Compiled templates are kept in Jinja's own bytecode
cache (a private folder in the system's temporary directory, keyed by each template's source), so
a build does not compile them again.
"""

from __future__ import annotations

import string
from functools import cache

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

# Every ASCII punctuation mark as a numeric character reference: HTML and Markdown (with any
# extension) read references as the characters they stand for, never as syntax.
_REFERENCES = str.maketrans({char: f"&#{ord(char)};" for char in string.punctuation})


def plain_text(value: object) -> Markup:
    """A value from the sources as the text it is, on one line, wherever a template writes it: in
    Markdown, in raw HTML or in an attribute (``[x](javascript:...)``, ``<img ...>`` and ``@key``
    all show as written)."""
    return Markup(" ".join(str(value).split()).translate(_REFERENCES))


@cache
def templates(package: str, autoescape: bool = True) -> Environment:
    """The templates of ``package`` (its ``templates`` folder): each stage of the pipeline keeps its own."""
    environment = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=FileSystemBytecodeCache(),
    )
    environment.filters["text"] = plain_text
    return environment
