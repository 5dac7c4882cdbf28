"""Snapshots of a map: a self-contained HTML file, and a PNG drawn by headless Chromium.

Chromium is driven by Playwright for Python, which talks to the browser it
is given (``executable_path``): the system's Chromium, never a browser
build of Playwright's own, so ``playwright install`` is never needed.
``open_chromium`` is the one way geo starts a browser; the browser tests and
the benchmark start theirs with it too. The HTML has every asset inlined, so
the picture needs no network either (unless the map was given online tiles).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import folium

from geo.errors import GeoError
from geo.map.assets import inline_html

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Debian installs `chromium`; other systems name it otherwise.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A throwaway browser that talks to nobody: no sync, no updates, no first-run pages. Playwright passes most of
# these itself, and a fresh profile it deletes after; they are said here so they stay whatever it defaults to.
CHROMIUM_FLAGS = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1", "--mute-audio",
)
PNG_SIZE = (1280, 800)
# Leaflet draws in a few hundred milliseconds; the budget bounds online tiles that never finish loading.
SETTLE_BUDGET_MS = 5000
TIMEOUT_S = 60.0
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# Resolves once the page's maps are drawn: the cluster's deferred redraw has run, no tile layer is still
# loading (or the budget is spent), and two animation frames have painted the canvases.
SETTLED_JS = """async (budget) => {
  const painted = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await new Promise(r => setTimeout(r, 0));
  const end = performance.now() + budget;
  const loading = () => {
    if (!window.L) return false;
    let busy = false;
    for (const key of Object.keys(window)) {
      let v; try { v = window[key]; } catch (e) { continue; }  // a getter may refuse (localStorage, say)
      if (v instanceof L.Map) v.eachLayer(l => { if (l instanceof L.GridLayer && l.isLoading()) busy = true; });
    }
    return busy;
  };
  while (loading() && performance.now() < end) await painted();
  await painted();
}"""


class SnapshotError(GeoError, RuntimeError):
    """No browser to draw with, or the browser failed to draw."""


def find_chromium() -> str | None:
    """The Chromium to use: $GEO_CHROMIUM if set, else the first of CHROMIUM_NAMES on the PATH."""
    configured = os.environ.get("GEO_CHROMIUM")
    if configured:
        return configured if shutil.which(configured) else None
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def no_chromium_message() -> str:
    return ("a PNG needs Chromium, and none was found (looked for "
            f"{', '.join(CHROMIUM_NAMES)} on the PATH, and $GEO_CHROMIUM). "
            "Install it, e.g. `apt-get install chromium`, or export HTML instead.")


@contextmanager
def open_chromium(chromium: str | None = None, *, args: Sequence[str] = (),
                  timeout: float = TIMEOUT_S) -> Iterator[Browser]:
    """A headless Chromium (``chromium``, else ``find_chromium()``) with CHROMIUM_FLAGS and ``args``; ended on exit."""
    path = chromium or find_chromium()
    if path is None:
        raise SnapshotError(no_chromium_message())
    # Imported here: 0.1 s that a dashboard or a CLI run which draws no PNG need not pay.
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=path, headless=True,
                                                 args=[*CHROMIUM_FLAGS, *args], timeout=timeout * 1000)
        except PlaywrightError as err:
            raise SnapshotError(f"Chromium ({path}) could not be started{browser_said(err.message)}") from err
        try:
            yield browser
        finally:
            browser.close()


def browser_said(message: str) -> str:
    """What the browser itself said in a failed launch (its exit status, its stderr), from Playwright's log."""
    status = re.search(r"exitCode=(\d+)", message)
    words = list(dict.fromkeys(re.findall(r"^\s*(?:- )?\[pid=\d+\]\[err\] (.+)$", message, re.MULTILINE)))[-3:]
    if not status and not words:
        return f": {message.splitlines()[0] if message else 'no reason given'}"
    return (f" (exit status {status.group(1)})" if status else "") + (f": {' / '.join(words)}" if words else "")


def html_snapshot(m: folium.Map) -> str:
    """The map as one HTML document that opens offline (Leaflet and our scripts inlined)."""
    return inline_html(m)


def png_snapshot(html: str, *, size: tuple[int, int] = PNG_SIZE, chromium: str | None = None,
                 timeout: float = TIMEOUT_S) -> bytes:
    """A PNG of ``html`` (a page from ``html_snapshot``) at ``size`` (width, height) pixels."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    width, height = size
    with tempfile.TemporaryDirectory(prefix="geo-snapshot-") as tmp, open_chromium(chromium, timeout=timeout) as browser:
        # Opened as a file: a 4 MB page loads in half the time it takes to be handed over as a string.
        page_file = Path(tmp) / "map.html"
        page_file.write_text(html, encoding="utf-8")
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.set_default_timeout(timeout * 1000)
            page.goto(page_file.as_uri(), wait_until="load")
            page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
            data = page.screenshot(type="png")
        except PlaywrightTimeout as err:
            raise SnapshotError(f"Chromium took more than {timeout:.0f} s to draw the map") from err
        except PlaywrightError as err:
            raise SnapshotError(f"Chromium could not draw the map: {err.message.splitlines()[0]}") from err
    if not data.startswith(PNG_MAGIC):
        raise SnapshotError("Chromium drew no picture (its screenshot is not a PNG)")
    return data
