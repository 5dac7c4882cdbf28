"""Snapshots without a browser: the self-contained HTML, and how Chromium is found, called and failed.

The real picture is checked in tests/test_browser.py.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_mapview import URL_ASSET, CDN_URL, analysis, clustered_map

from geo import config

from geo.map import snapshot
from geo.map import build_map


def fake_chromium(tmp_path: Path, body: str) -> Path:
    """An executable standing in for Chromium: it records its arguments, then runs `body` (Python)."""
    path = tmp_path / "fake-chromium"
    path.write_text(f"#!{sys.executable}\nimport sys\nfrom pathlib import Path\n"
                    f"Path({str(tmp_path / 'argv')!r}).write_text('\\n'.join(sys.argv[1:]))\n{body}\n",
                    encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_html_snapshot_opens_offline():
    html = snapshot.html_snapshot(clustered_map())
    assert html.startswith("<!DOCTYPE html>")
    assert "<script src=" not in html and "<link " not in html
    assert not URL_ASSET.search(html) and not CDN_URL.search(html)
    assert "L.geoCluster(" in html and "L.geoFit(" in html and "Leaflet 1.9.3" in html


def test_chromium_is_started_headless_offline_with_a_fresh_profile(tmp_path):
    chromium = fake_chromium(tmp_path, "sys.exit(1)")
    with pytest.raises(snapshot.SnapshotError, match="could not be started"):
        snapshot.png_snapshot("<html></html>", size=(640, 480), chromium=str(chromium))
    argv = (tmp_path / "argv").read_text().splitlines()
    assert "--headless" in argv and "--no-first-run" in argv and "--disable-sync" in argv
    assert "--disable-background-networking" in argv and "--disable-component-update" in argv
    (profile,) = [a.split("=", 1)[1] for a in argv if a.startswith("--user-data-dir=")]
    assert not Path(profile).exists()  # a fresh profile, thrown away after


def test_a_failing_browser_is_reported_with_its_words(tmp_path):
    chromium = fake_chromium(tmp_path, "print('cannot open display', file=sys.stderr)\nsys.exit(3)")
    with pytest.raises(snapshot.SnapshotError, match="exit status 3.*cannot open display"):
        snapshot.png_snapshot("<html></html>", chromium=str(chromium))


def test_no_browser_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("GEO_CHROMIUM", str(tmp_path / "nowhere"))
    assert snapshot.find_chromium() is None
    with pytest.raises(snapshot.SnapshotError, match="apt-get install chromium"):
        snapshot.png_snapshot("<html></html>")


def test_geo_chromium_picks_the_browser(monkeypatch, tmp_path):
    chromium = fake_chromium(tmp_path, "sys.exit(1)")
    monkeypatch.setenv("GEO_CHROMIUM", str(chromium))
    assert snapshot.find_chromium() == str(chromium)
    with pytest.raises(snapshot.SnapshotError, match="fake-chromium"):
        snapshot.png_snapshot("<html></html>")
    assert (tmp_path / "argv").is_file()  # the one started


def test_cli_png_without_a_browser_says_so_and_still_writes_the_rest(tmp_path):
    env = {**os.environ, "GEO_CHROMIUM": str(tmp_path / "nowhere")}
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "geo", "export", str(config.SAMPLE_PATH), "--out", str(out),
                        "--format", "png", "--format", "geojson"],
                       capture_output=True, text=True, cwd=config.REPO_ROOT, env=env, timeout=300)
    assert r.returncode == 1 and "needs Chromium" in r.stderr and "Traceback" not in r.stderr
    assert [p.name for p in out.iterdir()] == [f"{config.SAMPLE_PATH.stem}.geojson"]


def test_the_map_of_a_view_is_the_same_map():
    assert "L.circleMarker" in snapshot.html_snapshot(build_map(analysis()))
