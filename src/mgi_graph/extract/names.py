"""Slugs (docs/encoding.md) and the normal form names are compared in."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    text = re.sub(r"[\u2010-\u2015]", "-", text)  # en and em dashes separate words, like hyphens
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’`]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def normal(text: str) -> str:
    """A name as compared: slug without a leading 'the'."""
    return re.sub(r"^the-", "", slug(text))


def tidy(text: str) -> str:
    """A name as written, with runs of spaces made one and no leading 'the'."""
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    return re.sub(r"^[Tt]he ", "", text)
