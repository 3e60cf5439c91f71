"""Whether the secrets files set up sign-in soundly (README "Sign-in (OIDC)"). No streamlit import.

Streamlit reads every secrets file in its list and merges them (a later file's `[auth]` replaces an earlier
one's). When any one of them cannot be read or parsed, it goes on with no secrets at all, so an `[auth]`
section anywhere is lost and the dashboard would be served without sign-in. The `dashboard` command runs
:func:`problems` before it starts Streamlit; the app runs :func:`mentions_auth` on every page load, in case
it was started some other way.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evaltool.errors import Problem

SECRETS = Path(".streamlit") / "secrets.toml"
REQUIRED = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
# A line that opens an auth table ([auth], [auth.x], [[auth]]) or sets an auth key (auth = …, auth.x = …)
_MENTION = re.compile(r"""^\s*(\[{1,2}\s*(auth|"auth"|'auth')\s*[.\]]|(auth|"auth"|'auth')\s*[.=])""", re.M)


def secrets_files(root: Path, app: Path) -> list[Path]:
    """The secrets files the dashboard reads, in Streamlit's order: ~/.streamlit/, workspace, app folder."""
    paths = [Path.home() / SECRETS, root / SECRETS, app.parent / SECRETS]
    return list(dict.fromkeys(paths))


def missing(auth: object) -> list[str]:
    """The keys sign-in needs that an auth section lacks (or leaves empty), in README order."""
    if not isinstance(auth, Mapping):
        return list(REQUIRED)
    return [key for key in REQUIRED if not (isinstance(auth.get(key), str) and auth[key].strip())]


def _read(path: Path) -> bytes | None:
    """The file's bytes; None when there is no file (the only error Streamlit takes for "no file here")."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _load(path: Path) -> dict[str, Any] | None:
    """The secrets of one file read as Streamlit reads it (strict UTF-8, TOML); None when there is no file.

    Raises OSError, UnicodeDecodeError or tomllib.TOMLDecodeError, each of which makes Streamlit drop every
    secret.
    """
    data = _read(path)
    return None if data is None else tomllib.loads(data.decode("utf-8"))


def _file_problem(path: Path) -> tuple[Problem | None, dict[str, Any] | None]:
    stop = "; the dashboard does not start until it is fixed"
    try:
        return None, _load(path)
    except OSError as exc:
        return Problem(str(path), 0, "", f"cannot be read: {exc.strerror or exc}{stop}", code="sign-in"), None
    except UnicodeDecodeError as exc:
        return Problem(
            str(path), 0, "", f"not valid UTF-8 text (byte {exc.start}){stop}", code="sign-in"
        ), None
    except tomllib.TOMLDecodeError as exc:
        return Problem(str(path), 0, "", f"invalid TOML: {exc}{stop}", code="sign-in"), None


def problems(paths: Sequence[Path]) -> list[Problem]:
    """Why these secrets files would not give the sign-in they ask for: one problem per file, else none.

    Every file must be readable and valid TOML (one broken file makes Streamlit drop the others' secrets
    too); the auth section that wins the merge must hold every key of REQUIRED.
    """
    found: list[Problem] = []
    auth: tuple[Path, object] | None = None
    for path in paths:
        problem, table = _file_problem(path)
        if problem is not None:
            found.append(problem)
        elif table is not None and "auth" in table:
            auth = (path, table["auth"])
    if found or auth is None:
        return found
    path, section = auth
    lacking = missing(section)
    if not lacking:
        return []
    needs = ", ".join(REQUIRED[:-1]) + f" and {REQUIRED[-1]}"
    return [
        Problem(str(path), 0, "", f"[auth] lacks {', '.join(lacking)}; sign-in needs {needs}", code="sign-in")
    ]


def mentions_auth(path: Path) -> bool:
    """Whether a secrets file exists and sets up sign-in, or may do so.

    A file that parses answers exactly; one that does not is searched for a line opening an auth table or
    setting an auth key; one that exists but cannot be read at all may hold anything, so it counts.
    """
    try:
        data = _read(path)
    except OSError:
        return True
    if data is None:
        return False
    try:
        return "auth" in tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return _MENTION.search(data.decode("utf-8", "replace")) is not None
