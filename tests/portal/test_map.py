"""The map: scripts/build_map.py decodes TopoJSON into a compact SVG keyed by ISO alpha-2 codes,
and the committed SVG has the states of Africa and Europe, small island states included."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SVG = (ROOT / "static" / "maps" / "africa-europe.svg").read_text()


def load_script():
    spec = importlib.util.spec_from_file_location("build_map", ROOT / "scripts" / "build_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_arcs_are_decoded_from_quantised_deltas():
    build_map = load_script()
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, -4]]],
    }
    assert build_map.decode_arcs(topology) == [
        [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)],
        [(11.0, 21.0), (10.0, 20.0)],
    ]
    arcs = build_map.decode_arcs(topology)
    # A ring joins its arcs, sharing their end points; ~1 is the second arc reversed.
    assert build_map.ring_points([0, 1], arcs) == [
        (10.0, 20.0),
        (11.0, 20.0),
        (11.0, 21.0),
        (10.0, 20.0),
    ]
    assert build_map.ring_points([~1], arcs) == [(10.0, 20.0), (11.0, 21.0)]


@pytest.mark.django_db
def test_a_tiny_topology_becomes_one_path_per_state_with_its_alpha2_code():
    build_map = load_script()
    square = [[[0, 0], [100, 0], [0, 100], [-100, 0], [0, -100]]]
    topology = {
        "transform": {"scale": [0.1, 0.1], "translate": [-15, 10]},  # around Senegal
        "arcs": square,
        "objects": {
            "countries": {
                "geometries": [
                    {
                        "type": "Polygon",
                        "arcs": [[0]],
                        "id": "686",
                        "properties": {"name": "Senegal"},
                    },
                    {
                        "type": "Polygon",
                        "arcs": [[0]],
                        "id": "840",
                        "properties": {"name": "far away"},
                    },
                ]
            }
        },
    }
    svg = build_map.build(topology)
    assert svg.count('data-iso2="SN"') >= 1
    assert re.search(r'<path id="map-sn" data-iso2="SN" d="M[\d. L]+Z"/>', svg)


@pytest.mark.parametrize("code", ["SN", "MA", "ER", "ET", "FR", "IT", "ES", "ZA", "EG", "NO"])
def test_the_committed_map_has_the_states_of_both_continents(code):
    assert f'data-iso2="{code}"' in SVG


@pytest.mark.parametrize("code", ["CV", "MT", "MU", "SC", "KM", "ST"])
def test_small_island_states_are_on_the_map_with_a_marker(code):
    assert f'<path id="map-{code.lower()}" data-iso2="{code}"' in SVG
    assert f'<circle data-iso2="{code}"' in SVG


def test_the_committed_map_is_compact_and_has_no_far_away_states():
    assert len(SVG.encode()) < 300_000
    for code in ("US", "BR", "AU", "JP"):
        assert f'data-iso2="{code}"' not in SVG
