"""`evaltool dashboard`: serve the leadership dashboard (Streamlit) on this machine."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from evaltool.commands.options import WorkspaceOpt

DEFAULT_PORT = 8501
LOCAL = "127.0.0.1"
APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"

PortOpt = Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)]
HostOpt = Annotated[
    str | None,
    typer.Option(
        "--host",
        help="Address to listen on (default 127.0.0.1: this machine only). Another address exposes the "
        "dashboard to the network: configure sign-in (an auth section in .streamlit/secrets.toml) first.",
        show_default=False,
    ),
]


def streamlit_command(port: int, host: str, secrets: Sequence[Path]) -> list[str]:
    """`python -m streamlit run app.py` with the safe settings: local, headless, no usage statistics.

    The secrets files are given on the command line, which overrides any `secrets.files` setting in a
    config.toml or the environment: the server reads exactly the files that were checked.
    """
    files = [arg for path in secrets for arg in ("--secrets.files", str(path))]
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--browser.serverAddress", host,
        "--browser.serverPort", str(port),
        "--global.developmentMode", "false",
        "--client.toolbarMode", "viewer",
        "--client.showErrorDetails", "none",
        *files,
    ]  # fmt: skip


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve(command: list[str], env: dict[str, str], cwd: Path) -> int:
    """Run the server until it stops; Ctrl-C and SIGTERM stop it too (never left running behind us)."""
    process = subprocess.Popen(command, env=env, cwd=cwd)

    def forward(signum: int, frame: FrameType | None) -> None:
        process.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        return process.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the server as well; give it a moment to stop cleanly
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.terminate()
            process.wait()


def run(
    workspace: WorkspaceOpt = None,
    port: PortOpt = DEFAULT_PORT,
    host: HostOpt = None,
    anonymize: Annotated[
        bool,
        typer.Option(
            "--anonymize",
            help="Serve a blind panel: every page is a blind view (Vendor A, B, C…) and it cannot be "
            "turned off in the browser.",
        ),
    ] = False,
) -> None:
    """Serve the dashboard for leadership: who leads, how sure we are, why; what-if weights; downloads.

    Listens on 127.0.0.1 only unless --host is given, sends no usage statistics, and asks for sign-in when
    .streamlit/secrets.toml (in ~/.streamlit/ or the workspace folder) has an auth section (OIDC). Does not
    start while a secrets file cannot be read or parsed, or its auth section lacks a key.
    """
    from evaltool.anonymize import BLIND_VAR
    from evaltool.dashboard import signin
    from evaltool.errors import InputError, UsageError
    from evaltool.reading import ENV_VAR, resolve_root

    root = resolve_root(workspace).resolve()
    secrets = signin.secrets_files(root, APP)
    problems = signin.problems(secrets)
    if problems:
        raise InputError(problems)
    address = host or LOCAL
    if not _port_free(address, port):
        raise UsageError(f"port {port} on {address} is in use; choose another with --port")
    env = {**os.environ, ENV_VAR: str(root)}
    env.pop(BLIND_VAR, None)
    if anonymize:
        env[BLIND_VAR] = "1"
    shown = f"[{address}]" if ":" in address else address
    typer.echo(f"evaltool dashboard: http://{shown}:{port}  (workspace {root}; Ctrl-C stops it)")
    if address not in (LOCAL, "localhost", "::1"):
        typer.echo(
            f"warning: listening on {address}: anyone who can reach this address can open the dashboard",
            err=True,
        )
    code = serve(streamlit_command(port, address, secrets), env, root)
    if code not in (0, -signal.SIGTERM):
        raise typer.Exit(code)
