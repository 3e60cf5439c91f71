"""Which secrets files set up sign-in (evaltool/dashboard/signin.py), as the dashboard's guard reads them.

The guard shows only an error when a file sets up sign-in but Streamlit loaded no complete [auth] section;
a file that merely has a key called `auth` inside another table must not lock the dashboard.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaltool.dashboard.signin import mentions_auth


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[auth]\nclient_id = "x"\n', True),
        ('[auth.microsoft]\nclient_id = "x"\n', True),
        ('auth = { client_id = "x" }\n', True),
        ('[database]\nauth = "scram"\n', False),
        ('token = "abc"\n', False),
        ("", False),
        # files that do not parse are read line by line
        ("[auth]\nredirect_uri = http://x/\n", True),
        ("  [ auth ]\nclient_id = \n", True),
        ('["auth".google]\nclient_id = \n', True),
        ("[[auth]]\n=\n", True),
        ("auth.client_id = x\n", True),
        ("[authority]\nx = \n", False),
        ('token = "abc\n', False),
        ("# [auth]\nx = \n", False),
        (b'[auth]\nclient_id = "caf\xe9"\n', True),
    ],
)
def test_mentions_auth(tmp_path: Path, content: str | bytes, expected: bool) -> None:
    path = tmp_path / "secrets.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert mentions_auth(path) is expected


def test_absent_and_unreadable_files(tmp_path: Path) -> None:
    assert mentions_auth(tmp_path / "secrets.toml") is False
    (tmp_path / "folder.toml").mkdir()
    assert mentions_auth(tmp_path / "folder.toml") is True  # exists, cannot be read: it may set up sign-in
