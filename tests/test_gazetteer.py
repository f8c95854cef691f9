"""Places have identity: aliases, historic names and foreign country names resolve to one place."""

import pytest

from amity.ledger.errors import AmbiguousPlace, BadInput, UnknownPlace
from amity.ledger.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer()


@pytest.mark.parametrize("a,b", [
    ("Teheran", "Tehran, IR"), ("Esfahan", "Isfahan, IR"), ("Melaka", "Malacca, MY"),
    ("Madras", "Chennai, IN"), ("Ankara, Turki", "Ankara, TR"), ("Osaka, Jepun", "Osaka, JP"),
    ("Casablanca, Morocco", "Casablanca, MA"), ("seoul", "Seoul, KR"),
])
def test_other_names_resolve_to_the_same_place(gaz, a, b):
    assert gaz.resolve(a).id == gaz.resolve(b).id


def test_an_ambiguous_name_lists_candidates_with_their_countries(gaz):
    with pytest.raises(AmbiguousPlace) as exc:
        gaz.resolve("Valencia")
    assert "Valencia, ES" in str(exc.value) and "Valencia, VE" in str(exc.value)


def test_a_region_disambiguates_within_a_country(gaz):
    assert gaz.resolve("Syracuse, New York, US").canonical == "Syracuse, New York, US"
    with pytest.raises(AmbiguousPlace):
        gaz.resolve("Springfield, US")


def test_iso_subdivisions_resolve(gaz):
    assert gaz.resolve("New South Wales, AU").id == "iso:AU-NSW"


def test_canonical_names_resolve_back_to_the_same_place(gaz):
    for name in ("Seoul", "Syracuse, New York, US", "Springfield, Illinois, US", "Teheran"):
        place = gaz.resolve(name)
        assert gaz.resolve(place.canonical).id == place.id


def test_unknown_places_suggest_close_names():
    with pytest.raises(UnknownPlace, match="Tashkent"):
        Gazetteer().resolve("Tashkennt")


def test_the_registry_adds_places_and_aliases():
    g = Gazetteer()
    place = g.register("Jung-gu, Seoul, KR", "district")
    assert g.resolve("Jung-gu, Seoul, KR").id == place.id == "amity:jung-gu/seoul/kr"
    g.alias("Tehran, IR", "Tehran City")
    assert g.resolve("Tehran City, IR").id == g.resolve("Tehran").id
    with pytest.raises(BadInput, match="already known"):
        g.register("Seoul, KR", "city")
