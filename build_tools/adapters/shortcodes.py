"""The study's shortcodes (``{{< journey-map >}}``, ...) as a Python-Markdown extension.

Each renderer returns Markdown, or Markup for HTML that Markdown must leave alone; the plugin
sets the renderers for the page being rendered.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import Markup

from ..markup import SHORTCODE, mask_code


class ShortcodeExtension(Extension):
    """Replaces a ``{{< name args >}}`` line by what ``renderers[name](*args)`` returns."""

    def __init__(self, **kwargs: object):
        super().__init__(**kwargs)
        self.renderers: dict[str, Callable[..., str]] = {}

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Shortcodes(md, self), "study_shortcodes", 25)
        md.registerExtension(self)


class _Shortcodes(Preprocessor):
    def __init__(self, md: Markdown, extension: ShortcodeExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        if not self.extension.renderers:
            return lines
        output = []
        # A shortcode in code is code: masked as the source check masks it, so both see the same shortcodes.
        masked = mask_code("\n".join(lines)).split("\n")
        for line, seen in zip(lines, masked, strict=True):
            match = SHORTCODE.match(seen)
            renderer = self.extension.renderers.get(match["name"]) if match else None
            if match is None or renderer is None:
                output.append(line)
                continue
            result = renderer(*match["args"].split())
            output.extend(["", self.md.htmlStash.store(result), ""] if isinstance(result, Markup) else ["", *result.split("\n"), ""])
        return output
