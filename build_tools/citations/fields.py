"""The fields of a source the reference list does not show: published with the bibliography all
the same, so the check names each one (a notice), and says so plainly of a user's private ones."""

from __future__ import annotations

from ..problems import excerpt

# What Zotero and other reference managers export of a user's own rather than of the work's record:
# BibTeX's names and CSL's.
PRIVATE_FIELDS = {"file": "where the file is on your computer", "abstract": "the abstract", "keywords": "your tags",
                  "keyword": "your tags", "mendeley-tags": "your tags", "groups": "your groups", "owner": "your name",
                  "timestamp": "when you added it"}


def unshown_field(what: str, key: str, name: str) -> str:
    """The notice for field ``name`` of the ``what`` ("entry", "item") ``key``."""
    private = PRIVATE_FIELDS.get(name)
    if private:
        return (f"{what} '{excerpt(key)}': {name} ({private}) is not shown, but is published with the bibliography: "
                "remove it if it is private")
    return f"{what} '{excerpt(key)}': {name} is not shown in the reference list (it is published with the bibliography)"
