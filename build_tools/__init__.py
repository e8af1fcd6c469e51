"""Publish a qualitative study as a website: the study's model, its checks and its renderers.

The public API is small; MkDocs is only needed by :mod:`build_tools.plugin`.
"""

from .loader import Layout, LoadResult, load_study, read_study
from .model import Citation, CitationItem, Quotation, Reference, Stage, Study, Theme
from .problems import Problem, SourceErrors

__all__ = [
    "Citation", "CitationItem", "Layout", "LoadResult", "Problem", "Quotation", "Reference", "SourceErrors",
    "Stage", "Study", "Theme", "load_study", "read_study",
]
