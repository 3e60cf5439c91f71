"""Take the dashboard screenshots of docs/first-evaluation.md, so they show the dashboard as it is now.

Run: python docs/screenshots.py [--out docs/img]   (or `make screenshots`)

Starts `evaltool dashboard` on a free local port over a copy of the bundled sample workspace, opens
Overview, Compare, Sensitivity, Vendor detail and Downloads in headless Chromium (/usr/bin/chromium) at
1440x900, writes one PNG per page (reduced to a 256-colour palette to stay small) and stops the server.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
WIDTH, HEIGHT = 1440, 900
# file name -> (URL path, the page's heading)
PAGES = {
    "overview": ("", "Who leads"),
    "compare": ("compare", "Compare vendors"),
    "sensitivity": ("sensitivity", "How sure are we?"),
    "vendor-detail": ("vendor", "Vendor detail"),
    "downloads": ("downloads", "Downloads"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(workspace: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    binary = Path(sys.executable).parent / "evaltool"
    command = [str(binary)] if binary.exists() else [sys.executable, "-m", "evaltool"]
    env = {k: v for k, v in os.environ.items() if k != "EVALTOOL_WORKSPACE"}
    with log.open("wb") as out:
        return subprocess.Popen(
            [*command, "dashboard", "--workspace", str(workspace), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"evaltool dashboard exited with {process.returncode}:\n{log.read_text()}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer,
        ):
            if answer.read() == b"ok":
                return
        time.sleep(0.25)
    sys.exit(f"evaltool dashboard did not come up within {timeout}s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the command passes it on to Streamlit), then kill what is left of the group we started."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _settle(page: Any) -> None:
    """Wait until the script run is over (Streamlit shows a status widget while it runs) and charts drew."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    page.wait_for_timeout(1500)


def _shrink(path: Path) -> None:
    """A 256-colour palette: the dashboard's flat colours survive, the file is a fraction of the size."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def shoot(url: str, out: Path) -> list[Path]:
    """One PNG per page of PAGES, at 1440x900; returns the files written."""
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            for name, (path, heading) in PAGES.items():
                page.goto(f"{url}/{path}")
                page.get_by_role("heading", name=heading, level=1).wait_for(timeout=120_000)
                _settle(page)
                target = out / f"{name}.png"
                page.screenshot(path=str(target))
                _shrink(target)
                written.append(target)
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img", help="folder for the PNGs")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "sample"
        for folder in ("criteria", "vendors"):
            shutil.copytree(REPO / folder, workspace / folder)
        port = _free_port()
        log = Path(tmp) / "server.log"
        process = _start(workspace, port, log)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process, log)
            for path in shoot(url, args.out):
                print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
                      f"{path.stat().st_size // 1024} KB")  # fmt: skip
        finally:
            _stop(process)


if __name__ == "__main__":
    main()
