"""The real dashboard in a real browser: `evaltool dashboard` on a free port, driven by Debian's Chromium.

Every page loads without an exception, a weight change re-ranks, a download delivers the file, and the
page never talks to any host but the local server (a vendor name in the workspace carries a Markdown image
pointing elsewhere, so an escaping slip would show up as a request). A server whose sign-in settings do not
parse shows nothing but an error. At 1440x900 no Overview table cuts a cell's text (measured in the page,
see GRID_COLUMNS). Skipped only where /usr/bin/chromium is absent; `.ci/run` installs it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
PAGES = {
    "": "Who leads",
    "compare": "Compare vendors",
    "what-if": "What if priorities change?",
    "sensitivity": "How sure are we?",
    "vendor": "Vendor detail",
    "radar": "Technology radar",
    "downloads": "Downloads",
}
HOSTILE = "Tessaloom DB ![logo](http://evil.example/logo.png)"

# CI installs Chromium (.ci/run), so there a missing browser fails these tests instead of skipping them
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Chromium is not installed at /usr/bin/chromium",
)
pytestmark = NEEDS_CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"evaltool dashboard exited with {process.returncode}:\n{log.read_text()}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer,
        ):
            if answer.read() == b"ok":
                return
        time.sleep(0.25)
    raise AssertionError(f"evaltool dashboard did not come up within {timeout}s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes], port: int) -> None:
    """SIGTERM to the process group we started (the command and the server it runs), SIGKILL to what is
    left; then check the port is free again."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`evaltool dashboard` on a copy of the sample workspace; always stopped, its port freed."""
    root = tmp_path_factory.mktemp("browser") / "sample"
    shutil.copytree(REPO / "criteria", root / "criteria")
    shutil.copytree(REPO / "vendors", root / "vendors")
    vendor = root / "vendors" / "tessaloom.yaml"
    text = vendor.read_text(encoding="utf-8")
    assert "\nname: Tessaloom DB\n" in text
    vendor.write_text(text.replace("\nname: Tessaloom DB\n", f'\nname: "{HOSTILE}"\n'), encoding="utf-8")
    port = _free_port()
    log = root.parent / "server.log"
    binary = Path(sys.executable).parent / "evaltool"
    command = [str(binary)] if binary.exists() else [sys.executable, "-m", "evaltool"]
    env = {k: v for k, v in os.environ.items() if k != "EVALTOOL_WORKSPACE"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "dashboard", "--workspace", str(root), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        _stop(process, port)


@pytest.fixture
def broken_sign_in(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Streamlit started directly (no `evaltool dashboard` check) on a workspace whose [auth] cannot parse."""
    from evaltool.commands.dashboard import streamlit_command

    root = tmp_path / "sample"
    shutil.copytree(REPO / "criteria", root / "criteria")
    shutil.copytree(REPO / "vendors", root / "vendors")
    (root / ".streamlit").mkdir()
    (root / ".streamlit" / "secrets.toml").write_text(
        '[auth]\nredirect_uri = http://127.0.0.1/oauth2callback\nclient_id = "evaltool"\n', encoding="utf-8"
    )
    (tmp_path / "home").mkdir()
    port = _free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "EVALTOOL_WORKSPACE": str(root), "HOME": str(tmp_path / "home")}
    with log.open("wb") as out:  # Streamlit's own secrets places: ~/.streamlit, the current folder, the app's
        process = subprocess.Popen(
            streamlit_command(port, "127.0.0.1", []), cwd=root, env=env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url, root
    finally:
        _stop(process, port)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A fresh browser page; afterwards, every request it made must have gone to the local server."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 1800})  # type: ignore[attr-defined]
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    try:
        yield tab
    finally:
        context.close()
    local = urlsplit(server).netloc
    foreign = [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).netloc not in (local, local.replace("127.0.0.1", "localhost"))]  # fmt: skip
    assert requests, "the page made no request at all"
    assert foreign == []


def _open(page: object, server: str, path: str) -> None:
    page.goto(f"{server}/{path}")  # type: ignore[attr-defined]
    heading = page.get_by_role("heading", name=PAGES[path], level=1)  # type: ignore[attr-defined]
    heading.wait_for(timeout=60_000)
    _settle(page)


def _settle(page: object) -> None:
    """Wait until the script run is over (Streamlit shows a status widget while it runs)."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(500)  # type: ignore[attr-defined]


def _assert_clean(page: object, where: str) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, where  # type: ignore[attr-defined]
    body = page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert "Traceback" not in body, where
    assert page.locator("img[src*='evil.example']").count() == 0, where  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_loads(page: object, server: str, path: str) -> None:
    _open(page, server, path)
    _assert_clean(page, path or "overview")


def test_leaderboard_and_headline(page: object, server: str) -> None:
    _open(page, server, "")
    body = page.locator("[data-testid='stMain']").inner_text()  # type: ignore[attr-defined]
    assert "Lakehouse & warehouse: take Basaltine Warehouse into a proof of concept" in body  # the summary
    assert f"Why: ahead of {HOSTILE} on" in body  # the Markdown image in the name shows as text
    page.locator("[data-testid='stDataFrame']").first.wait_for(state="visible")  # type: ignore[attr-defined]
    assert page.locator("img[src*='evil.example']").count() == 0  # type: ignore[attr-defined]


def test_weight_change_reranks(page: object, server: str) -> None:
    _open(page, server, "what-if")
    main = page.locator("[data-testid='stMain']")  # type: ignore[attr-defined]
    # segments have their own profiles here: the page asks for one; MLOps platform, which no profile
    # names, starts from the catalog's weights
    main.locator("[data-testid='stSelectbox']").filter(has_text="Segment").click()
    page.get_by_role("option", name="MLOps platform").click()  # type: ignore[attr-defined]
    _settle(page)
    assert "MLOps platform: Loomwright ML (71.0)" in main.inner_text()
    slider = main.locator("[data-testid='stSlider']").filter(
        has_text="Exit, substitutability & concentration"
    )
    thumb = slider.get_by_role("slider")
    thumb.focus()
    for _ in range(20):  # 8.0 -> 6.0 in steps of 0.1
        thumb.press("ArrowLeft")
    page.get_by_text("Cindermoor Model Hub now leads").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    assert slider.locator("[data-testid='stSliderThumbValue']").inner_text() == "6.0"
    _assert_clean(page, "what-if after a change")


def test_download_delivers_the_file(page: object, server: str, tmp_path: Path) -> None:
    _open(page, server, "downloads")
    with page.expect_download(timeout=60_000) as started:  # type: ignore[attr-defined]
        page.get_by_role("button", name="Download .csv").click()  # type: ignore[attr-defined]
    download = started.value
    # each segment scored with its own profile: the CLI's default name says so
    assert (
        download.suggested_filename == f"all-segments-per-segment-{dt.date.today().isoformat()}-scorecard.csv"
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("vendor_id,") or "vendor" in text.splitlines()[0]
    assert "basaltine" in text and len(text.splitlines()) > 15
    _assert_clean(page, "downloads")


def test_broken_sign_in_settings_show_nothing(browser: object, broken_sign_in: tuple[str, Path]) -> None:
    url, root = broken_sign_in
    names = [yaml.safe_load(p.read_text(encoding="utf-8"))["name"] for p in (root / "vendors").glob("*.yaml")]
    assert len(names) == 15
    context = browser.new_context(viewport={"width": 1440, "height": 1800})  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        tab.goto(url)
        tab.locator("h1").first.wait_for(timeout=60_000)  # the script ran far enough to show a page
        _settle(tab)
        body = tab.locator("body").inner_text()
        assert "Sign-in is configured for this dashboard, but its settings could not be loaded" in body
        assert [name for name in names if name in body] == []
        assert tab.locator("[data-testid='stSidebar']").count() == 0
        assert tab.locator("[data-testid='stDataFrame']").count() == 0
    finally:
        context.close()


# The dataframe is a canvas grid (glide-data-grid): its cells are drawn, not laid out, so scrollWidth and
# clientWidth say nothing. The grid's own React props hold what it draws: each column's width in CSS
# pixels and, through getCellContent, each cell's text. The page measures that text with the grid's font
# (canvas measureText) and a column is wide enough when its header and every cell fit inside it less the
# grid's horizontal cell padding on both sides. Progress cells print a short label beside their bar.
GRID_COLUMNS = """
(root) => {
  const canvas = root.querySelector('canvas[data-testid="data-grid-canvas"]');
  const key = Object.keys(canvas).find((k) => k.startsWith('__reactFiber'));
  let fiber = canvas[key], columns = null, content = null, rows = 0;
  for (; fiber; fiber = fiber.return) {
    const p = fiber.memoizedProps;
    if (!p) continue;
    if (!columns && Array.isArray(p.columns) && p.columns.length && p.columns[0].width !== undefined) {
      columns = p.columns;
    }
    if (!content && typeof p.getCellContent === 'function' && typeof p.rows === 'number') {
      content = p.getCellContent;
      rows = p.rows;
    }
  }
  const style = getComputedStyle(root.querySelector('.stDataFrameGlideDataEditor'));
  const font = style.getPropertyValue('--gdg-base-font-style') + ' '
    + style.getPropertyValue('--gdg-font-family');
  const padding = parseFloat(style.getPropertyValue('--gdg-cell-horizontal-padding'));
  const context = document.createElement('canvas').getContext('2d');
  context.font = font;
  const width = (text) => context.measureText(text || '').width;
  return columns.map((column, i) => {
    const texts = [column.title];
    for (let r = 0; r < rows; r++) {
      const cell = content([i, r]);
      if (cell.kind === 'text' || cell.kind === 'number') texts.push(cell.displayData);
    }
    const widest = texts.reduce((a, b) => (width(b) > width(a) ? b : a), '');
    return { title: column.title, width: column.width, text: widest, needed: width(widest) + 2 * padding };
  });
}
"""


def test_overview_tables_cut_no_text_at_1440(browser: object, server: str, tmp_path: Path) -> None:
    """At 1440x900, every column of every segment's leaderboard is as wide as its widest text."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        _open(tab, server, "")
        tabs = tab.get_by_role("tab")
        assert tabs.count() == 5
        for index in range(tabs.count()):
            tabs.nth(index).click()
            _settle(tab)
            name = tabs.nth(index).inner_text()
            grid = tab.locator("[data-testid='stDataFrame']").first
            grid.wait_for(state="visible")
            tab.screenshot(path=str(tmp_path / f"overview-{index}.png"))
            assert len(grid.evaluate(GRID_COLUMNS)) >= 10, name
            assert _cut(grid) == [], f"{name}: columns narrower than their text (title, text, width, needed)"
    finally:
        context.close()


def test_radar_table_cuts_no_segment_or_reason_at_1440(browser: object, server: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        _open(tab, server, "radar")
        grid = tab.locator("[data-testid='stDataFrame']").first
        grid.scroll_into_view_if_needed()
        grid.get_by_test_id("data-grid-canvas").wait_for(state="visible")
        titles = [c["title"] for c in grid.evaluate(GRID_COLUMNS)]
        assert titles[:2] == ["Segment", "Vendor"]
        assert _cut(grid) == []
    finally:
        context.close()


def _cut(grid: object) -> list[tuple[str, str, int, int]]:
    """The grid's columns narrower than their widest text: (title, text, width, width needed)."""
    columns = grid.evaluate(GRID_COLUMNS)  # type: ignore[attr-defined]
    return [(c["title"], c["text"], c["width"], round(c["needed"])) for c in columns
            if c["needed"] > c["width"] + 0.5]  # fmt: skip
