"""What every command module shares: the Settings on the context, a store that fails cleanly, and
the `error: <what>: <reason>` exits (README's codes: 2 for input we cannot use, 3 for a server that
cannot be reached)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import click

from .errors import DataFileError
from .settings import Settings

EXIT_BAD_INPUT, EXIT_UNAVAILABLE = 2, 3


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_root().obj


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def build_or_exit(settings: Settings):
    """The store the settings name (open_store: in memory, an on-disk folder or a remote endpoint);
    on a broken source file, print file:line and exit 2."""
    from .cli_progress import progress_bar
    from .sources import source_files
    from .store import open_store

    with opening_store(settings):
        with progress_bar(len(source_files(settings)), "parsing") as step:
            return open_store(settings, progress=step)


@contextmanager
def opening_store(settings: Settings) -> Iterator[None]:
    """Exit 2 with the file and its problem: a source that does not parse, or a --store that is a
    file, or a folder we may not write."""
    location = settings.store
    if location and not _is_url(location) and Path(location).exists() and not Path(location).is_dir():
        fail(f"{location}: not a folder; --store takes a folder (for the on-disk index) or an http(s) URL")
    try:
        yield
    except DataFileError as exc:
        fail(str(exc))
    except OSError as exc:  # the index folder: permissions, a full disk ...
        fail(f"{exc.filename or location}: {exc.strerror or exc}")


def _is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


def read_utf8(path: Path) -> str:
    """The file's text, or exit 2 saying why not: unreadable, or not UTF-8 (with where, and what to do)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror or exc}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
             f"convert it first, e.g. iconv -f ISO-8859-1 -t UTF-8 {path} > converted.txt")


def check_out_folder(path: Path) -> None:
    """Before the work: an --out whose folder does not exist fails now, not after a long build."""
    if not path.parent.is_dir():
        fail(f"{path}: cannot write: folder {path.parent} does not exist")


def write_or_exit(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        fail(f"{path}: cannot write: {exc.strerror or exc}")


def warn_if_base_unused(store, settings: Settings) -> None:
    """--base-iri does not rewrite the IRIs the data states: when no subject starts with it, say so
    (every /id/ page would answer 404 and no IRI would show short)."""
    from rdflib import Literal

    ask = "ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?base)) }"
    if not store.query(ask, {"base": Literal(settings.base_iri)}).boolean:
        click.echo(f"warning: no subject in the graph starts with the base IRI {settings.base_iri}: "
                   "--base-iri does not rewrite the IRIs the data states, so no /id/ page will find them",
                   err=True)
