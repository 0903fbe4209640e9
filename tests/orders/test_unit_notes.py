"""A note per unit: three shirts with three names are three notes, each stored and listed once
in the vendor's recap; a missing one marks its own field; "(required)" only where a quantity is
chosen; an order of nothing says so."""

import re

import pytest

from campaigns.models import Campaign
from orders.models import Order
from orders.selectors import campaign_recap
from tests.orders.order_form import URL, order_data
from tests.support import page_text

pytestmark = pytest.mark.django_db


def lines_of(order) -> list[tuple]:
    return sorted(order.lines.values_list("variant_name", "quantity", "note"))


def test_three_units_with_three_names_are_three_notes_each_listed_once_in_the_recap(
    client, open_campaign
):
    # when a buyer orders 3 Green, a name for each (two of them the same)
    names = ["Green, “AYU”", "Green, “BUDI”", "Green, “AYU”"]
    response = client.post(
        URL, order_data(open_campaign, quantities={"Green": 3}, notes={"Green": names})
    )

    # then the order holds each unit's note: two AYU, one BUDI
    assert response.status_code == 302
    order = Order.objects.get()
    assert lines_of(order) == [("Green", 1, "Green, “BUDI”"), ("Green", 2, "Green, “AYU”")]

    # and the recap (pending orders included) lists each note once, with how many to make
    [green, _navy] = campaign_recap(open_campaign, include_pending=True)
    assert [(note.note, note.units) for note in green.notes] == [
        ("Green, “AYU”", 2),
        ("Green, “BUDI”", 1),
    ]


def test_a_missing_note_marks_its_own_field_and_nothing_is_ordered(client, open_campaign):
    data = order_data(
        open_campaign, quantities={"Green": 2}, notes={"Green": ["Green, “AYU”", "  "]}
    )
    response = client.post(URL, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert not Order.objects.exists()
    # the error sits with the second unit's field, and only there
    second = page[page.index('id="id_lines-0-note_1"') :]
    assert "Fill in “Colour and name to print” for this one." in second[: second.index("</div>")]
    first = page[page.index('id="id_lines-0-note_0"') : page.index('id="id_lines-0-note_1"')]
    assert "Fill in" not in first


def test_without_the_pages_script_the_form_comes_back_with_a_field_per_unit(client, open_campaign):
    # given a browser without scripts sent 3 Green with the one note field it had
    data = order_data(open_campaign, quantities={"Green": 3}, notes={"Green": ["Green, “AYU”"]})
    response = client.post(URL, data)

    # then nothing is ordered, and the page shows three fields, asking for the two new ones
    assert response.status_code == 400
    assert not Order.objects.exists()
    text = page_text(response)
    assert re.findall(r'name="lines-0-(note_\d)"', text) == ["note_0", "note_1", "note_2"]
    assert text.count("Fill in “Colour and name to print” for this one.") == 2


def test_an_optional_note_typed_once_goes_for_every_unit_without_the_script(client, open_campaign):
    Campaign.objects.filter(pk=open_campaign.pk).update(note_required=False)
    open_campaign.refresh_from_db()
    data = order_data(open_campaign, quantities={"Green": 3}, notes={"Green": ["Green, “AYU”"]})
    assert client.post(URL, data).status_code == 302
    assert lines_of(Order.objects.get()) == [("Green", 3, "Green, “AYU”")]


def test_required_shows_only_where_a_quantity_is_chosen(client, open_campaign):
    # given two variants, nothing chosen yet
    page = client.get(open_campaign.get_absolute_url()).content.decode()

    # then neither row says its note is required (the script shows it once a quantity is typed)
    hints = re.findall(r'<span class="hint required-hint"( hidden)?>', page)
    assert hints == [" hidden", " hidden"]

    # and sent back with a quantity on Green only, only Green says so
    response = client.post(URL, order_data(open_campaign, quantities={"Green": 1}, notes={}))
    hints = re.findall(r'<span class="hint required-hint"( hidden)?>', response.content.decode())
    assert hints == ["", " hidden"]


def test_an_order_of_nothing_says_to_choose_an_item(client, open_campaign):
    response = client.post(URL, order_data(open_campaign, quantities={}))
    assert response.status_code == 400
    assert "Choose at least one item" in page_text(response)
    assert not Order.objects.exists()
