"""Progress bars for long commands: drawn on a terminal, silent when output goes to a pipe or file."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


def on_terminal() -> bool:
    return sys.stdout.isatty() and sys.stderr.isatty()


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[..., None]]:
    """Yields a callable to call once per step (its arguments are ignored)."""
    if not on_terminal() or length <= 0:
        yield lambda *_: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True) as bar:
        yield lambda *_: bar.update(1)
