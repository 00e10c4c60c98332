"""The one folder tangentlike keeps files in, and the only ways it reads and writes them.

Everything in the folder is trusted as code: generated modules are imported from it, the
generation cache's entries hold module text, and Numba's index files are pickles. So the
folder must be one that no other local user can write (docs/security.md):

* ``TANGENTLIKE_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/tangentlike`` or
  ``~/.cache/tangentlike``, else (no writable home) ``<tempdir>/tangentlike-<uid>``;
* created with mode 0700; used only when it is a real folder (not a symbolic link), owned
  by this user, writable by neither group nor others, in a parent folder that others
  cannot write (or that is sticky, like ``/tmp``). Otherwise a warning is logged
  once and nothing is written: derivatives are generated in memory and Numba compiles
  without a disk cache.

Files are read with ``O_NOFOLLOW`` and only when they are regular files owned by this
user; they are written through a fresh ``O_EXCL`` temporary file in the same folder that
is then renamed over the target, so a planted symbolic link is replaced, never followed.
"""

import logging
import os
import stat
import tempfile

log = logging.getLogger("tangentlike")
_WARNED = set()


def _candidates():
    configured = os.environ.get("TANGENTLIKE_CACHE_DIR")
    if configured:
        return [configured]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return [
        os.path.join(base, "tangentlike"),
        os.path.join(tempfile.gettempdir(), f"tangentlike-{os.getuid()}"),
    ]


def unsafe_reason(path):
    """Why ``path`` (an existing entry) cannot hold trusted files; None when it can."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"it cannot be examined ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    if st.st_uid != os.getuid():
        return f"it is owned by another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"it is writable by group or others (mode {stat.S_IMODE(st.st_mode):o})"
    if not os.access(path, os.W_OK | os.X_OK):
        return "it is not writable"
    try:  # others could rename it away and put theirs there
        parent = os.stat(os.path.dirname(os.path.abspath(path)))
    except OSError as exc:
        return f"its parent folder cannot be examined ({exc.strerror})"
    if parent.st_mode & stat.S_IWOTH and not parent.st_mode & stat.S_ISVTX:
        return "its parent folder is writable by others and not sticky"
    return None


def _make(path):
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError as exc:
        return f"it cannot be created ({exc.strerror})"
    return unsafe_reason(path)


def cache_dir():
    """The verified cache folder, or None: keep everything in memory."""
    for path in _candidates():
        path = os.path.abspath(path)
        why = _make(path)
        if why is None:
            return path
        if path not in _WARNED:
            _WARNED.add(path)
            log.warning(
                "tangentlike: not using the cache folder %s: %s; "
                "derivatives are generated in memory and not cached on disk",
                path,
                why,
            )
    return None


def subfolder(*parts):
    """``<cache>/<parts...>``, each level created 0700 and verified; None without one."""
    path = cache_dir()
    if path is None:
        return None
    for part in parts:
        path = os.path.join(path, part)
        why = _make(path)
        if why is not None:
            if path not in _WARNED:
                _WARNED.add(path)
                log.warning("tangentlike: not using %s: %s", path, why)
            return None
    return path


def read_bytes(path):
    """The bytes of a regular file owned by this user, read without following a link;
    OSError otherwise (missing, a link, someone else's)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
            raise OSError(f"{path} is not a regular file of this user")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def write_bytes(path, data):
    """Replace ``path`` atomically: a new 0600 file (``O_EXCL``) in the same folder,
    renamed over it. Raises OSError when the folder cannot be written."""
    fd, tmp = tempfile.mkstemp(
        dir=os.path.dirname(path), prefix=".tmp-", suffix="-" + os.path.basename(path)
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def discard(path, why):
    """Remove a damaged entry (a log line says which and why)."""
    log.warning("tangentlike: discarding damaged cache file %s (%s); it is regenerated", path, why)
    try:
        os.unlink(path)
    except OSError:
        pass
