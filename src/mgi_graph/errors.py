"""The exceptions mgi-graph raises: one small hierarchy, so callers catch what they mean."""

from __future__ import annotations

from pathlib import Path


class MgiGraphError(Exception):
    """Base of every error this package raises on purpose."""


class DataFileError(MgiGraphError):
    """A source file could not be read or parsed: names the file, line and problem."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(MgiGraphError):
    """A SPARQL query that does not parse; carries the parser's message."""


class QueryRefusedError(MgiGraphError):
    """A query that parses but that the read-only, no-outbound-request policy refuses."""


class QueryTimeoutError(MgiGraphError):
    """A query that ran past its time limit and was stopped."""


class ResultTooLargeError(MgiGraphError):
    """A result that went past the row or output-size cap."""


class StoreUnavailableError(MgiGraphError):
    """A remote store that is down, too slow, or answered with something unreadable."""

    def __init__(self, message: str, *, timeout: bool = False) -> None:
        self.timeout = timeout
        super().__init__(message)


class UnknownQueryError(MgiGraphError):
    """No saved query has that name."""


class ParameterError(MgiGraphError):
    """A saved query's parameter is missing or its value is not of the declared type."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"parameter {name!r}: {message}")


class ReasonerUnavailableError(MgiGraphError):
    """HermiT needs a Java runtime that is not installed."""
