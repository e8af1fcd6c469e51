"""Publish a qualitative study as a website: read its sources, model it, cite, build the site.

The public API is small and loaded on first use (PEP 562), so that importing one stage of the
pipeline (the citation engine, for the Markdown extension alone) does not import the others.
MkDocs is needed only by :mod:`build_tools.adapters`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PUBLIC = {
    "SourceFolders": "build_tools.sources.folders",
    "LoadResult": "build_tools.sources.loader",
    "load_study": "build_tools.sources.loader", "read_study": "build_tools.sources.loader",
    "Study": "build_tools.model", "Stage": "build_tools.model", "Theme": "build_tools.model", "Quotation": "build_tools.model",
    "Citation": "build_tools.citations.model", "CitationItem": "build_tools.citations.model",
    "Reference": "build_tools.citations.model", "Problem": "build_tools.problems", "SourceErrors": "build_tools.problems",
}
__all__ = list(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'build_tools' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
