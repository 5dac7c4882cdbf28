"""Which place a click on the map means, and the candidates drawn for a place being fixed."""

from __future__ import annotations

import folium
from test_filters import ISTANBUL, analysis

from geo.map.clicks import clicked
from geo.map.layers import candidates_layer
from geo.model import Candidate
from geo.routes import group_places


def test_a_click_a_few_pixels_off_a_marker_is_that_marker_and_one_far_off_is_none():
    groups = group_places(analysis().places)
    assert clicked(groups, 41.05, 28.93, zoom=5).place.chosen == ISTANBUL  # ~4 px away at zoom 5
    assert clicked(groups, 41.05, 28.93, zoom=12) is None  # the same degrees are hundreds of pixels at zoom 12
    assert clicked(groups, 0.0, -150.0, zoom=3) is None


def test_the_nearest_of_two_close_markers_is_the_one_clicked():
    groups = group_places(analysis().places)  # Gaziantep (37.06, 37.38) and Raqqa (35.95, 39.01)
    assert clicked(groups, 36.9, 37.6, zoom=2).place.chosen.name == "Gaziantep"
    assert clicked(groups, 36.1, 38.8, zoom=2).place.chosen.name == "Raqqa"


def test_candidates_are_numbered_and_their_names_cannot_leave_the_tooltip():
    hostile = Candidate("`${alert(1)}`<img src=x onerror=alert(2)>\\", 1.0, 2.0, "city", "TR")
    m = folium.Map()
    candidates_layer([ISTANBUL, hostile]).add_to(m)
    html = m.get_root().render()
    assert "1. Istanbul" in html and "2. &#96;&#36;{alert(1)}&#96;&lt;img" in html
    assert "<img src=x" not in html and "${alert" not in html
