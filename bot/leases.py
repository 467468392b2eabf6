"""Who holds a lease: a name for this process (host, pid, and a token per holder in it), and whether
the process behind a name has gone. A lease also expires with time; this only lets a process on the
same host take over at once what a killed one left, instead of waiting out the lease. Another host's
holder is never judged dead (its pids are not ours to check): its leases wait out their time."""

from __future__ import annotations

import os
import re
import secrets
import socket
from pathlib import Path

HOLDER = re.compile(r"^(?P<host>[^:]+):(?P<pid>\d+)(?::[0-9a-f]+)?$")  # a host name has no colon


def holder_name(token: bool = True) -> str:
    """This process as a lease holder: host:pid, with a token when one process holds several."""
    name = f"{socket.gethostname()[:60]}:{os.getpid()}"
    return f"{name}:{secrets.token_hex(4)}" if token else name


def is_gone(holder: str | None, host: str | None = None) -> bool:
    """Whether the holder is a process of this host that no longer runs (a zombie counts as gone)."""
    found = HOLDER.match(holder or "")
    if not found or found["host"] != (host or socket.gethostname()[:60]):
        return False
    return not _running(int(found["pid"]))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    try:  # killed but not yet reaped by its parent: it holds nothing any more
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True
