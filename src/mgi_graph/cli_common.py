"""What every command module shares: the Settings on the context and a store that fails cleanly."""

from __future__ import annotations

import sys

import click

from .errors import DataFileError
from .settings import Settings


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_root().obj


def build_or_exit(settings: Settings):
    """The embedded store; on a broken source file, print file:line and exit 2."""
    from .store import build_store

    try:
        return build_store(settings)
    except DataFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
