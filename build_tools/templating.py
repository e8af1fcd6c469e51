"""The one way this package loads its Jinja2 templates.

HTML, XML and Markdown pages are autoescaped; plain-text formats (RIS, the generated Markdown
reports that contain no HTML of ours) are not. Compiled templates are kept in Jinja's own bytecode
cache (a private folder in the system's temporary directory, keyed by each template's source), so
a build does not compile them again.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined


@cache
def templates(autoescape: bool = True) -> Environment:
    return Environment(
        loader=PackageLoader("build_tools", "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=FileSystemBytecodeCache(),
    )
