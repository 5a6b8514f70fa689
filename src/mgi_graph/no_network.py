"""Take the network away from a process, in the kernel: a seccomp filter that refuses to create
IPv4 and IPv6 sockets (EACCES), for this process and anything it starts.

The query policy (sparql_policy) refuses SERVICE before a query runs, and the guard (guard.py)
stops Python code from connecting. Neither can see native code: Oxigraph evaluates SERVICE with
its own HTTP client, so a query that one parser reads differently from the other would reach
out. A query worker needs no network at all (it talks to the server through a pipe, an AF_UNIX
socket or plain file descriptors), so the kernel refuses it any. Nothing happens at import.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct

# <linux/prctl.h>, <linux/seccomp.h>, <linux/audit.h>, <linux/filter.h>
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_BPF_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_RET_K = 0x06  # BPF_RET | BPF_K
# Offsets in struct seccomp_data: nr, arch, instruction_pointer, args[6] (little-endian: the low
# half of args[0], the address family, is at 16).
_NR, _ARCH, _ARG0 = 0, 4, 16
_X32_BIT = 0x40000000  # x86-64's x32 ABI: the same calls under numbers with this bit set

# machine -> (AUDIT_ARCH_*, the number of socket(2))
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def forbid_network_sockets() -> bool:
    """Install the filter; False (and nothing changed) where it cannot be: not Linux, an
    architecture without a table entry above, or a kernel or sandbox that refuses seccomp."""
    if platform.system() != "Linux" or platform.machine() not in _ARCHES:
        return False
    arch, socket_nr = _ARCHES[platform.machine()]
    program = _program(arch, socket_nr)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    buffer = ctypes.create_string_buffer(program)
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _program(arch: int, socket_nr: int) -> bytes:
    """The BPF program: another architecture's calls and x32 calls are refused outright (this
    process makes none, so only a way around the filter would); socket(AF_INET | AF_INET6, ...)
    fails with EACCES; everything else is allowed."""
    deny_all = _SECCOMP_RET_ERRNO | errno.EPERM
    deny_socket = _SECCOMP_RET_ERRNO | errno.EACCES
    return b"".join([
        _stmt(_BPF_LD_W_ABS, _ARCH),
        _jump(_BPF_JEQ_K, arch, 1, 0),
        _stmt(_BPF_RET_K, deny_all),
        _stmt(_BPF_LD_W_ABS, _NR),
        _jump(0x35, _X32_BIT, 0, 1),  # BPF_JMP | BPF_JGE | BPF_K
        _stmt(_BPF_RET_K, deny_all),
        _jump(_BPF_JEQ_K, socket_nr, 0, 4),
        _stmt(_BPF_LD_W_ABS, _ARG0),
        _jump(_BPF_JEQ_K, socket.AF_INET, 1, 0),
        _jump(_BPF_JEQ_K, socket.AF_INET6, 0, 1),
        _stmt(_BPF_RET_K, deny_socket),
        _stmt(_BPF_RET_K, _SECCOMP_RET_ALLOW),
    ])


def _stmt(code: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, 0, 0, k)


def _jump(code: int, k: int, if_true: int, if_false: int) -> bytes:
    return struct.pack("=HBBI", code, if_true, if_false, k)
