"""Snapshots of a map: a self-contained HTML file, and a PNG drawn by headless Chromium.

The PNG is the HTML file, opened by Chromium's own ``--screenshot`` mode with
a virtual-time budget: Chromium runs the page's scripts and timers on a
virtual clock until the page is idle or the budget is spent, then writes the
picture. No DevTools session, no driver, no extra package: one process per
picture, about a second. The HTML has every asset inlined, so the picture
needs no network either (unless the map was given online tiles).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import folium

from geo.map.assets import inline_html
from geo.errors import GeoError

# Debian installs `chromium`; other systems name it otherwise.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A throwaway headless browser that talks to nobody: no sync, no updates, no first-run pages.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    "--force-device-scale-factor=1", "--mute-audio",
)
PNG_SIZE = (1280, 800)
# Leaflet draws in a few hundred milliseconds of virtual time; the budget bounds a page that never settles.
VIRTUAL_TIME_BUDGET_MS = 5000
TIMEOUT_S = 60.0
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class SnapshotError(GeoError, RuntimeError):
    """No browser to draw with, or the browser failed to draw."""


def find_chromium() -> str | None:
    """The Chromium to use: $GEO_CHROMIUM if set, else the first of CHROMIUM_NAMES on the PATH."""
    configured = os.environ.get("GEO_CHROMIUM")
    if configured:
        return configured if shutil.which(configured) else None
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def html_snapshot(m: folium.Map) -> str:
    """The map as one HTML document that opens offline (Leaflet and our scripts inlined)."""
    return inline_html(m)


def png_snapshot(html: str, *, size: tuple[int, int] = PNG_SIZE, chromium: str | None = None,
                 timeout: float = TIMEOUT_S) -> bytes:
    """A PNG of ``html`` (a page from ``html_snapshot``) at ``size`` (width, height) pixels."""
    browser = chromium or find_chromium()
    if browser is None:
        raise SnapshotError(
            "a PNG needs Chromium, and none was found (looked for "
            f"{', '.join(CHROMIUM_NAMES)} on the PATH, and $GEO_CHROMIUM). "
            "Install it, e.g. `apt-get install chromium`, or export HTML instead."
        )
    width, height = size
    with tempfile.TemporaryDirectory(prefix="geo-snapshot-") as tmp:
        page, picture = Path(tmp) / "map.html", Path(tmp) / "map.png"
        page.write_text(html, encoding="utf-8")
        command = [
            browser, *CHROMIUM_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--window-size={width},{height}", f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
            f"--screenshot={picture}", page.as_uri(),
        ]
        try:
            run = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as err:
            raise SnapshotError(f"Chromium took more than {timeout:.0f} s to draw the map") from err
        except OSError as err:
            raise SnapshotError(f"Chromium ({browser}) could not be started: {err.strerror or err}") from err
        data = picture.read_bytes() if picture.is_file() else b""
    if not data.startswith(PNG_MAGIC):
        detail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise SnapshotError(f"Chromium drew no picture (exit status {run.returncode}): {' / '.join(detail)}")
    return data
