"""PDF: the HTML report printed by headless Chromium, where Chromium is installed.

Chromium is looked up in this order: the ``chromium`` argument, ``$EVALTOOL_CHROMIUM``, /usr/bin/chromium,
then ``chromium``, ``chromium-browser`` and ``google-chrome`` on the PATH. A path that is given but does
not exist is an error (no silent fallback to another browser). Chromium runs with a throwaway profile,
no background networking, and a timeout; the HTML it prints makes no network request.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from evaltool.errors import OutputError

ENV_VAR = "EVALTOOL_CHROMIUM"
DEFAULT_PATH = "/usr/bin/chromium"
NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 120.0
INSTALL_HINT = (
    "PDF output needs Chromium. Install it (Debian/Ubuntu: `apt-get install chromium`; macOS: "
    "`brew install --cask chromium`) or set EVALTOOL_CHROMIUM to the browser's path. Alternatively write "
    "--format html and print it to PDF from any browser."
)
# The window is as wide as a Letter page's printable area, so charts are laid out at the width they print.
WINDOW = "760,1200"


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_chromium(chromium: str | None = None) -> str:
    """The Chromium binary to use; OutputError with an install hint if there is none."""
    given = chromium or os.environ.get(ENV_VAR)
    if given:
        if _executable(given):
            return given
        found = shutil.which(given) if os.sep not in given else None
        if found:
            return found
        source = "the chromium argument" if chromium else ENV_VAR
        raise OutputError(f"Chromium not found at {given} (from {source}). {INSTALL_HINT}")
    if _executable(DEFAULT_PATH):
        return DEFAULT_PATH
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise OutputError(f"Chromium not found. {INSTALL_HINT}")


def _command(binary: str, folder: Path, source: Path, target: Path) -> list[str]:
    return [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        f"--user-data-dir={folder / 'profile'}",
        f"--window-size={WINDOW}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={target}",
        source.as_uri(),
    ]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the Chromium we started and its helper processes (its own process group)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    process.communicate()


def html_to_pdf(html: str, chromium: str | None = None, *, timeout: float = TIMEOUT) -> bytes:
    """Print an HTML document to PDF with headless Chromium and return the PDF's bytes."""
    binary = find_chromium(chromium)
    with tempfile.TemporaryDirectory(prefix="evaltool-pdf-") as tmp:
        folder = Path(tmp)
        source, target = folder / "report.html", folder / "report.pdf"
        source.write_text(html, encoding="utf-8")
        try:
            process = subprocess.Popen(
                _command(binary, folder, source, target),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise OutputError(
                f"cannot run Chromium ({binary}): {exc.strerror or exc}. {INSTALL_HINT}"
            ) from None
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise OutputError(f"Chromium ({binary}) did not print the PDF within {timeout:g} s") from None
        data = target.read_bytes() if target.exists() else b""
    if not data.startswith(b"%PDF"):
        tail = " ".join(err.decode("utf-8", "replace").strip().splitlines()[-3:])
        detail = f": {tail}" if tail else ""
        raise OutputError(f"Chromium ({binary}) did not produce a PDF (exit {process.returncode}){detail}")
    return data


def heading_pages(data: bytes) -> dict[str, int]:
    """The page (from 1) each linked heading of a printed report starts on: Chromium writes every anchor
    the contents link to as a named destination of the PDF."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = {}
    for name, dest in reader.named_destinations.items():
        number = reader.get_destination_page_number(dest)
        if number is not None:
            pages[str(name).lstrip("/")] = number + 1
    return pages


def print_report(
    render: Callable[[Mapping[str, int] | None], str],
    chromium: str | None = None,
    *,
    timeout: float = TIMEOUT,
) -> bytes:
    """The report as PDF with page numbers in its contents list, printed twice: the first print tells on
    which page each heading lands, the second prints the contents with those numbers. The numbers sit in
    boxes of a fixed width, so filling them in moves nothing."""
    first = html_to_pdf(render(None), chromium, timeout=timeout)
    return html_to_pdf(render(heading_pages(first)), chromium, timeout=timeout)
