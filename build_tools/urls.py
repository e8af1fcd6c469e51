"""Every address that comes from the sources becomes a link here, and only here.

BibTeX ``url``, ``doi`` and ``eprint``, the article's ``doi`` and ``postprint`` and the edit
links all pass one scheme allowlist and one percent-encoding, so a value can neither run script
(``javascript:``) nor break out of the attribute it is written into (``"``, ``<``, spaces).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote, urlsplit, urlunsplit

from .problems import excerpt

WEB_SCHEMES = ("http", "https")
DOI_RESOLVER = "https://doi.org/"
# A DOI is "10.", a registrant code of digits (dot-separated), "/" and a suffix of any printable
# characters (ISO 26324; the DOI Handbook §2.2). Old Wiley DOIs hold "<", ">" and ";" in the suffix.
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_DOI_PREFIXES = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_HOST = re.compile(r"[\w.-]+(?::\d{1,5})?", re.ASCII)
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# Kept as they are: RFC 3986's unreserved and reserved characters and "%" (already encoded), except
# the apostrophe, which could end an attribute quoted with it. Everything else is percent-encoded.
_URL_SAFE = "!#$&()*+,/:;=?@[]~%-._"
# biblatex's built-in eprint types and where each resolves (biblatex manual §3.14.7).
EPRINT_RESOLVERS = {
    "arxiv": "https://arxiv.org/abs/",
    "jstor": "https://www.jstor.org/stable/",
    "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/",
    "hdl": "https://hdl.handle.net/",
    "googlebooks": "https://books.google.com/books?id=",
}
# The fields of a BibTeX entry that become its link, the first one present winning.
LINK_FIELDS = ("doi", "url", "eprint")


class UnsafeURL(ValueError):
    """Why a value from the sources cannot become a link; the message says what to write instead."""


def web_url(value: str) -> str:
    """``value`` as an http(s) address safe in any HTML attribute; raises :class:`UnsafeURL`."""
    text = value.strip()
    if _SPACE_OR_CONTROL.search(text):
        raise UnsafeURL(f"'{excerpt(text)}' is not an address: it holds a space or a control character")
    try:
        parts = urlsplit(text)
    except ValueError:  # "https://[": urllib's reading of a bracketed IPv6 host
        raise UnsafeURL(f"'{excerpt(text)}' names no valid host") from None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        shown = f"'{scheme}:'" if scheme else "no scheme"
        raise UnsafeURL(f"'{excerpt(text)}' has {shown}: only http:// and https:// addresses become links")
    host = parts.netloc.rpartition("@")[2]  # "user@" before a host only serves to mislead readers
    try:
        netloc = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        netloc = ""
    if not _HOST.fullmatch(netloc):
        raise UnsafeURL(f"'{excerpt(text)}' names no valid host")
    return urlunsplit((scheme, netloc, _encode(parts.path), _encode(parts.query), _encode(parts.fragment)))


def bare_doi(value: str) -> str:
    """The DOI itself, from ``10.x/y``, ``doi:10.x/y`` or ``https://doi.org/10.x/y``; raises :class:`UnsafeURL`."""
    doi = _DOI_PREFIXES.sub("", value.strip())
    if not _DOI.fullmatch(doi):
        raise UnsafeURL(f"'{excerpt(value)}' is not a DOI: a DOI looks like 10.1000/182")
    return doi


def doi_url(value: str) -> str:
    """The DOI's address at the DOI resolver, percent-encoded; raises :class:`UnsafeURL`."""
    return DOI_RESOLVER + quote(bare_doi(value), safe="/:;()._-")


def eprint_url(eprint: str, eprint_type: str) -> str | None:
    """Where an eprint of a type biblatex knows resolves; None for a type it does not know."""
    resolver = EPRINT_RESOLVERS.get(eprint_type.strip().lower())
    identifier = eprint.strip()
    if resolver is None or not identifier:
        return None
    if _SPACE_OR_CONTROL.search(identifier):
        raise UnsafeURL(f"'{excerpt(identifier)}' is not an eprint identifier: it holds a space or a control character")
    return resolver + quote(identifier, safe="/.:-_")


def entry_link(fields: Mapping[str, str]) -> str | None:
    """Where a BibTeX entry's reference links: its DOI, else its ``url``, else its eprint.

    None when it has none, or when that value cannot be a link (the check reports it as an error).
    """
    for name in LINK_FIELDS:
        if fields.get(name):
            try:
                return _link(name, fields)
            except UnsafeURL:
                return None
    return None


def link_errors(fields: Mapping[str, str]) -> dict[str, str]:
    """Why each of a BibTeX entry's ``doi``, ``url`` and ``eprint`` cannot become a link, by field."""
    errors = {}
    for name in LINK_FIELDS:
        if fields.get(name):
            try:
                if name == "doi":
                    bare_doi(fields[name])  # all a check needs: doi_url fails only where bare_doi does
                else:
                    _link(name, fields)
            except UnsafeURL as error:
                errors[name] = str(error)
    return errors


def _link(name: str, fields: Mapping[str, str]) -> str | None:
    if name == "doi":
        return doi_url(fields[name])
    if name == "url":
        return web_url(fields[name])
    # biblatex writes the type as eprinttype; BibTeX styles and arXiv's own exports as archiveprefix
    return eprint_url(fields[name], fields.get("eprinttype") or fields.get("archiveprefix") or "")


def _encode(part: str) -> str:
    return quote(part, safe=_URL_SAFE)
