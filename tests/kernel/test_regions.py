"""The list buyers pick their city from: every province, every city in one, no two alike."""

from kernel import regions


def test_the_list_holds_the_38_provinces_and_every_city_names_one_of_them():
    provinces = {province.code for province in regions.provinces()}
    cities = regions.cities()

    assert len(provinces) == 38
    assert len(cities) == 514
    assert {city.province for city in cities} == provinces


def test_each_city_is_found_by_its_label_as_a_buyer_types_it():
    labels = [city.label for city in regions.cities()]

    assert len(set(labels)) == len(labels)
    assert regions.city_by_label("  kota   bandung, JAWA BARAT ").code == "3273"
    # after the 2022 split, Merauke is in Papua Selatan
    assert regions.city_by_label("Kab. Merauke, Papua Selatan") is not None
    assert regions.city_by_label("Bandung") is None
