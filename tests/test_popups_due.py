"""A large map's popups are made once its page says the map is drawn, or after a while: never twice."""

from __future__ import annotations

import json
import threading
import time

from geo.map.assets import PopupsDue, popups_place


def wait_for(path, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return path.exists()


def test_the_popups_are_made_when_the_map_is_drawn_and_only_once(tmp_path):
    made = []
    done = threading.Event()

    def make():
        made.append(1)
        done.set()
        return ["<div class='geo-popup'>one</div>", "two"]

    path, url = popups_place(tmp_path, "/app/static")
    assert url.startswith("/app/static/geo-popups/") and path.parent == tmp_path / "geo-popups"
    due = PopupsDue(wait=60)
    due.add(url, path, make)
    time.sleep(0.2)
    assert not made and not path.exists(), "nothing is made while the browser draws"
    due.drawn(url)
    assert wait_for(path) and json.loads(path.read_text("utf-8")) == ["<div class='geo-popup'>one</div>", "two"]
    due.drawn(url)
    time.sleep(0.2)
    assert made == [1], "made once"


def test_popups_whose_page_never_says_are_made_after_a_while(tmp_path):
    path, url = popups_place(tmp_path, "/app/static")
    PopupsDue(wait=0.2).add(url, path, lambda: ["late"])
    assert wait_for(path) and json.loads(path.read_text("utf-8")) == ["late"]
