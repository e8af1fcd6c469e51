"""LaTeX in a BibTeX value, read into text with its formatting (:mod:`.richtext` markup).

Accents and symbols are decoded by latexcodec (imported when first needed); formatting commands
(LaTeX's and biblatex's: ``\\emph``, ``\\mkbibemph``, ``\\mkbibquote``, ``\\textsc``, ``\\url``, ...)
become formatting or plain text; braces that are not a command's argument keep their text's case,
as BibTeX's do. An unknown command leaves its argument's text: no backslash ever reaches a page.
"""

from __future__ import annotations

import codecs
import re
import string
import unicodedata
from functools import lru_cache
from typing import cast

from .richtext import plain, text_markup

_TOKEN = re.compile(r"\\([A-Za-z@]+)\*?[ \t\n]*|\\(.)|([{}])|(\$)|([^\\{}$]+)", re.S)
_PLAIN = re.compile(r"[^\\{}$~`'\-]*")  # nothing LaTeX reads otherwise than as it is written
_ACCENTS = frozenset("'\"`^~=.cvuHkrdbt")
_ITALIC = frozenset({"emph", "mkbibemph", "textit", "textsl", "mkbibitalic", "itshape", "mkbibtitle"})
_BOLD = frozenset({"textbf", "mkbibbold", "bfseries"})
_QUOTED = frozenset({"mkbibquote", "enquote", "mkbibquotation"})
_SMALLCAPS = frozenset({"textsc", "mkbibacro", "scshape"})
_SUPERSCRIPT = frozenset({"textsuperscript", "mkbibsuperscript"})
_SUBSCRIPT = frozenset({"textsubscript", "mkbibsubscript"})
_DECLARATIONS = {"em": "i", "it": "i", "sl": "i", "itshape": "i", "bf": "b", "bfseries": "b",
                 "sc": 'span style="font-variant:small-caps;"', "scshape": 'span style="font-variant:small-caps;"'}
_DROPPED = frozenset({"noopsort", "noop", "sortkey", "hyphenation", "label", "index"})  # arguments that are not text
_SYMBOLS = {
    "textquoteright": "’", "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”", "textless": "<",
    "textgreater": ">", "dots": "…", "textellipsis": "…", "ldots": "…", "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX",
    "textbar": "|", "textunderscore": "_", "textdollar": "$", "nobreakspace": "\u00a0", "slash": "/", "textslash": "/",
    "textasciicircum": "^", "textbackslash": "\\", "newline": " ", "linebreak": " ", "par": " ", "quad": " ", "qquad": " ",
    "space": " ", "textendash": "–", "textemdash": "—", "textnumero": "№", "textdegree": "°", "textpm": "±",
    "texttimes": "\u00d7", "textminus": "\u2212", "textperthousand": "‰", "hyph": "-", "hyphen": "-",
}
_NOTHING = frozenset({"relax", "protect", "/", "-", "@", "ignorespaces", "unskip", "null", "hbox", "mbox", "leavevmode"})
_CONTROL_SYMBOLS = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": "\u202f", ";": " ",
                    ":": " ", "!": "", "\\": " ", "/": "", "-": "", "@": "", "i": "\u0131"}  # \i: a dotless i
_QUOTES = [("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("`", "‘"), ("'", "’"), ("~", "\u00a0")]


@lru_cache(maxsize=8192)
def latex_markup(value: str) -> str:
    """A BibTeX value (LaTeX) as markup; "{DNA}" keeps its case, "\\emph{x}" is italic."""
    if _PLAIN.fullmatch(value):  # most values hold nothing to decode: text with its spaces collapsed
        return text_markup(" ".join(value.split()))
    tokens = [(match.group(1), match.group(2), match.group(3), match.group(4), match.group(5)) for match in _TOKEN.finditer(value)]
    markup, _ = _group(tokens, 0, nested=False)
    return re.sub(r"\s+", " ", markup).strip() if "\n" in markup or "  " in markup else markup.strip()


def latex_text(value: str) -> str:
    """A BibTeX value as plain text (names, places, numbers)."""
    return plain(latex_markup(value)) if value else ""


Token = tuple[str | None, str | None, str | None, str | None, str | None]


def _group(tokens: list[Token], index: int, nested: bool) -> tuple[str, int]:
    """The markup of tokens up to the ``}`` that closes this group (or the end), and where it stopped."""
    parts: list[str] = []
    closing: list[str] = []  # tags a declaration (\\em) opened, closed at the group's end
    while index < len(tokens):
        word, symbol, brace, dollar, text = tokens[index]
        index += 1
        if text is not None:
            parts.append(text_markup(_typographic(text)))
        elif dollar is not None:
            continue  # math: its text is kept, the dollars dropped
        elif brace == "{":
            starts_with_command = index < len(tokens) and (tokens[index][0] is not None or tokens[index][1] is not None)
            inner, index = _group(tokens, index, nested=True)
            parts.append(inner if starts_with_command or not inner else f'<span class="nocase">{inner}</span>')
        elif brace == "}":
            if nested:
                break
        elif symbol is not None:
            if (symbol in _ACCENTS and symbol not in "'`~") or (symbol in "'`~" and index < len(tokens)):
                accented, index = _accent(symbol, tokens, index)
                parts.append(accented)
            else:
                parts.append(text_markup(_CONTROL_SYMBOLS.get(symbol, symbol)))
        elif word is not None:
            markup, index, opened = _command(word, tokens, index)
            parts.append(markup)
            if opened:
                closing.append(opened)
    for tag in reversed(closing):
        parts.append(f"</{tag.split()[0]}>")
    return "".join(parts), index


def _command(name: str, tokens: list[Token], index: int) -> tuple[str, int, str]:
    """A control word: its markup, where reading goes on, and a tag it opened for the rest of the group."""
    if name in _DECLARATIONS and not _next_is_group(tokens, index):
        tag = _DECLARATIONS[name]
        return f"<{tag}>", index, tag
    if name in _SYMBOLS:
        return text_markup(_SYMBOLS[name]), index, ""
    if name in _NOTHING and not _next_is_group(tokens, index):
        return "", index, ""
    if len(name) == 1 and name in _ACCENTS:
        accented, index = _accent(name, tokens, index)
        return accented, index, ""
    if name == "href" and _next_is_group(tokens, index):  # \href{url}{text}: the text
        _, index = _argument(tokens, index)
        return (*_argument(tokens, index), "")
    if name in ("url", "nolinkurl", "path", "doi") and _next_is_group(tokens, index):
        return (*_verbatim(tokens, index + 1), "")
    if not _next_is_group(tokens, index):
        decoded = _decode(f"\\{name}").strip()
        if decoded.startswith("\\"):  # a symbol of mathematics ("\\alpha"): latexcodec reads it between dollars
            decoded = _decode(f"${chr(92)}{name}$").strip()
        return ("" if "\\" in decoded or "$" in decoded else text_markup(decoded)), index, ""
    argument, index = _argument(tokens, index)
    if name in _DROPPED:
        return "", index, ""
    for names, (opening, closing) in ((_ITALIC, ("<i>", "</i>")), (_BOLD, ("<b>", "</b>")), (_QUOTED, ("“", "”")),
                                      (_SMALLCAPS, ('<span style="font-variant:small-caps;">', "</span>")),
                                      (_SUPERSCRIPT, ("<sup>", "</sup>")), (_SUBSCRIPT, ("<sub>", "</sub>"))):
        if name in names:
            return opening + argument + closing, index, ""
    return argument, index, ""


def _verbatim(tokens: list[Token], index: int) -> tuple[str, int]:
    """An address's argument (``\\url{...}``) as written, but for the escapes of LaTeX's special
    characters (``\\_``, ``\\#``, ``\\%``...), which stand for the characters; commands are dropped.
    Its case is kept."""
    depth, raw = 1, []
    while index < len(tokens) and depth:
        _, symbol, brace, dollar, text = tokens[index]
        depth += 1 if brace == "{" else -1 if brace == "}" else 0
        if depth and text is not None:
            raw.append(text)
        elif depth and (symbol is not None or dollar is not None):
            raw.append(symbol or dollar or "")
        index += 1
    return f'<span class="nocase">{text_markup("".join(raw))}</span>', index


def _next_is_group(tokens: list[Token], index: int) -> bool:
    return index < len(tokens) and tokens[index][2] == "{"


def _argument(tokens: list[Token], index: int) -> tuple[str, int]:
    """A command's braced argument, as markup (its braces do not protect case)."""
    if _next_is_group(tokens, index):
        return _group(tokens, index + 1, nested=True)
    return "", index


def _accent(accent: str, tokens: list[Token], index: int) -> tuple[str, int]:
    """``\\"o``, ``\\"{o}``, ``\\c c``, ``\\'{\\i}``: the accented letter, decoded by latexcodec."""
    base = ""
    if index < len(tokens):
        word, symbol, brace, _, text = tokens[index]
        if brace == "{":
            depth, index, inner = 1, index + 1, []
            while index < len(tokens) and depth:
                word, symbol, brace, _, text = tokens[index]
                depth += 1 if brace == "{" else -1 if brace == "}" else 0
                if depth:
                    inner.append(text or (word if word in ("i", "j") else "") or ("i" if symbol == "i" else ""))
                index += 1
            base = "".join(inner)
        elif word in ("i", "j"):
            base, index = word, index + 1
        elif text:
            base = text[0]
            tokens[index] = (None, None, None, None, text[1:]) if len(text) > 1 else tokens[index]
            index += 1 if len(text) == 1 else 0
    source = f"\\{accent}{{{base}}}" if base else f"\\{accent}{{}}"
    decoded = _decode(source).replace("{", "").replace("}", "")
    return text_markup(decoded if not decoded.startswith("\\") else base), index


# The accents of most bibliographies, decoded as latexcodec decodes them (a test compares every one):
# an accent on an ASCII letter that makes a letter of Latin-1 or Latin Extended-A, and the letters
# LaTeX names with a word. Reading these needs neither latexcodec nor its tables.
_MARKS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307",
          "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328", "r": "\u030a"}
COMMON_ACCENTS = {
    **{f"\\{accent}{{{letter}}}": accented for accent, mark in _MARKS.items() for letter in string.ascii_letters
       if len(accented := unicodedata.normalize("NFC", letter + mark)) == 1 and "\u00c0" <= accented <= "\u017f"},
    **{f"\\{word}": letter for word, letter in (("aa", "å"), ("AA", "Å"), ("o", "ø"), ("O", "Ø"), ("ss", "ß"), ("ae", "æ"),
                                                ("AE", "Æ"), ("oe", "œ"), ("OE", "Œ"), ("l", "ł"), ("L", "Ł"), ("i", "\u0131"))},
}


def _decode(latex: str) -> str:
    """latexcodec's reading of accents and symbols (its codec takes text, which typeshed does not know).
    Imported on first use of an accent :data:`COMMON_ACCENTS` lacks, which registers the "ulatex"
    codec: building its tables takes longer than reading a whole bibliography's common accents."""
    common = COMMON_ACCENTS.get(latex)
    if common is not None:
        return common
    import latexcodec  # noqa: F401

    return cast(str, codecs.decode(latex, "ulatex"))  # type: ignore[call-overload]


def _typographic(text: str) -> str:
    """TeX's ligatures of plain text: dashes, quotation marks, a tie as a no-break space."""
    if not any(mark in text for mark in "-`'~"):
        return text
    for written, meant in _QUOTES:
        text = text.replace(written, meant)
    return text
