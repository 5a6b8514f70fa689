"""The outbound and file guard: a process-wide audit hook (sys.addaudithook) that fails closed.

The query policy (sparql_policy) refuses SERVICE, foreign FROM graphs, LOAD and updates before
anything runs. This guard is the second line, for any path that policy misses: once installed,
the process cannot connect a socket, resolve a host name, build a urllib request or start a
program except as the policy allows, and cannot open a file for writing (outside the temporary
folder) or for reading outside the project's folders and Python's own libraries.

Nothing happens at import: create_app and `mgi-graph serve` call install(), once per process.
Audit hooks cannot be removed, so tests of the guard run it in a subprocess. The hook sees what
Python code does; native code (Oxigraph's own HTTP client) is kept out by the query policy.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import socket
import sys
import sysconfig
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["GuardError", "GuardPolicy", "install", "installed_policy"]

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# Starting programs: nothing the served app needs (our workers start through multiprocessing's
# own fork_exec, which raises no audit event).
PROCESS_EVENTS = frozenset({"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                            "os.forkpty", "pty.spawn"})
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
SMALL_READS = ("/dev/null", "/dev/urandom", "/dev/random", "/etc/localtime")


class GuardError(PermissionError):
    """Raised inside the operation the guard refused (a PermissionError, so callers that expect
    an OSError from open() or connect() handle it as one)."""


@dataclass(frozen=True)
class GuardPolicy:
    endpoints: frozenset[tuple[str, int]] = frozenset()  # (IP address, port) a socket may connect to
    host_names: frozenset[str] = frozenset()  # names that may be resolved
    read_roots: tuple[str, ...] = ()  # folders (and files) that may be opened for reading
    write_roots: tuple[str, ...] = ()  # folders that may be written
    # The project checkout: never written, and read only where a read root inside it allows, even
    # when the checkout itself lies under the temporary folder (as a CI clone may).
    project_root: str = ""

    @classmethod
    def closed(cls, read_roots: Iterable[Path | str] = ()) -> GuardPolicy:
        """No connections; reads from Python's libraries, the package and read_roots; writes to tmp."""
        temp = os.path.realpath(tempfile.gettempdir())
        reads = [*python_roots(), os.path.dirname(os.path.realpath(__file__)), temp, *SMALL_READS,
                 *mimetypes.knownfiles, *(os.path.realpath(p) for p in read_roots), *_own_proc_files()]
        return cls(read_roots=tuple(dict.fromkeys(reads)), write_roots=(temp, "/dev/null"))

    @classmethod
    def for_settings(cls, settings, extra_reads: Iterable[Path | str] = ()) -> GuardPolicy:
        """What the served app needs: its project folders and, when one is configured, the remote store."""
        store = settings.store or ""
        index = [store] if store and not store.lower().startswith(("http://", "https://")) else []
        base = cls.closed([settings.ontology_dir, settings.data_dir, settings.shapes_dir, settings.queries_dir,
                           *index, *extra_reads])
        base = replace(base, project_root=os.path.realpath(settings.root))
        if not store.lower().startswith(("http://", "https://")):
            return base
        parts = urlsplit(store)
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme.lower() == "https" else 80)
        return GuardPolicy(frozenset((ip, port) for ip in _addresses(host)) | {(host, port)},
                           frozenset({host.lower()}), base.read_roots, base.write_roots, base.project_root)

    # -- decisions (also used by the tests, without installing anything) ------------------
    def may_connect(self, address: object) -> bool:
        if not isinstance(address, tuple) or len(address) < 2:
            return False  # AF_UNIX paths and anything unusual
        host, port = str(address[0]).lower(), address[1]
        return (host, port) in self.endpoints

    def may_resolve(self, host: object) -> bool:
        if host is None:
            return True
        name = os.fsdecode(host).lower().rstrip(".") if isinstance(host, str | bytes) else str(host)
        if name in ("", *LOOPBACK_NAMES) or name in self.host_names:
            return True
        try:
            ipaddress.ip_address(name.split("%", 1)[0])  # a literal address asks no DNS server
        except ValueError:
            return False
        return True

    def may_open(self, path: object, mode: object, flags: object) -> bool:
        if isinstance(path, int):
            return True  # an already open descriptor
        try:
            real = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        writes = _writes(mode, flags)
        if self.project_root and _under(real, self.project_root):
            return not writes and any(_under(real, root) for root in self.read_roots
                                      if _under(root, self.project_root))
        roots = self.write_roots if writes else self.read_roots + self.write_roots
        return any(_under(real, root) for root in roots)

    def may_request(self, url: object) -> bool:
        parts = urlsplit(str(url))
        if parts.scheme.lower() not in ("http", "https"):
            return False
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        return (parts.hostname or "").lower() in self.host_names and any(p == port for _, p in self.endpoints)


_policy: GuardPolicy | None = None


def install(policy: GuardPolicy) -> bool:
    """Install the guard with this policy. Once per process: a later call changes nothing and
    returns False (an audit hook cannot be removed or loosened)."""
    global _policy
    if _policy is not None:
        return False
    _policy = policy
    sys.addaudithook(_hook)
    return True


def installed_policy() -> GuardPolicy | None:
    return _policy


def _hook(event: str, args: tuple) -> None:
    policy = _policy
    if policy is None:
        return
    if event == "open":
        if not policy.may_open(*args[:3]):
            raise GuardError(f"mgi-graph guard: opening {args[0]!r} is not allowed")
    elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        if len(args) > 1 and args[1] is not None and not policy.may_connect(args[1]):
            raise GuardError(f"mgi-graph guard: no connection to {args[1]!r}")
    elif event == "socket.getaddrinfo":
        if not policy.may_resolve(args[0]):
            raise GuardError(f"mgi-graph guard: no name lookup for {args[0]!r}")
    elif event == "urllib.Request":
        if not policy.may_request(args[0]):
            raise GuardError(f"mgi-graph guard: no request to {args[0]!r}")
    elif event in PROCESS_EVENTS:
        raise GuardError(f"mgi-graph guard: {event} is not allowed")


def _writes(mode: object, flags: object) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & WRITE_FLAGS)


def python_roots() -> list[str]:
    """Where Python and the installed packages live (imports, plugin metadata, templates)."""
    paths: list[str] = []
    for base in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        scheme = sysconfig.get_paths(vars={"base": base, "platbase": base, "installed_base": base,
                                           "installed_platbase": base})
        paths += [scheme[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")]
    try:
        import site

        paths += site.getsitepackages()
    except AttributeError:
        pass
    return [os.path.realpath(p) for p in dict.fromkeys(paths) if os.path.isdir(p)]


def _own_proc_files() -> list[str]:
    return [f"/proc/{os.getpid()}/{name}" for name in ("status", "statm", "stat")]


def _addresses(host: str) -> set[str]:
    try:
        return {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return set()


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")
