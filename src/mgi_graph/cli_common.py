"""What every command module shares: the Settings on the context and a store that fails cleanly."""

from __future__ import annotations

import sys

import click

from .errors import DataFileError
from .settings import Settings


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_root().obj


def build_or_exit(settings: Settings):
    """The store the settings name (open_store: in memory, an on-disk folder or a remote endpoint);
    on a broken source file, print file:line and exit 2."""
    from .cli_progress import progress_bar
    from .sources import source_files
    from .store import open_store

    try:
        with progress_bar(len(source_files(settings)), "parsing") as step:
            return open_store(settings, progress=step)
    except DataFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
