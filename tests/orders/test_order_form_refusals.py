"""An order the campaign cannot take is refused with a message the buyer can read, never a 500,
and nothing is written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order, OrderEvent, OrderLine
from tests.factories import make_campaign, make_order
from tests.orders.order_form import URL, order_data
from tests.support import page_text


def what_is_stored(campaign) -> dict:
    campaign.refresh_from_db()
    return {
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
        "events": OrderEvent.objects.count(),
        "campaign reserved": campaign.reserved,
        "variants reserved": list(campaign.variants.values_list("reserved", flat=True)),
    }


def assert_refused(response, message, before, campaign):
    """Refused with a message the buyer can read, a 2xx/4xx page, and nothing written."""
    assert 200 <= response.status_code < 500
    assert response.status_code != 302
    assert message in page_text(response)
    assert what_is_stored(campaign) == before


FORM_MISTAKES = {
    "nothing chosen": (
        {"quantities": {}},
        "Choose at least one item and how many you want.",
    ),
    "negative quantity": (
        {"lines-0-quantity": "-1"},
        "Ensure this value is greater than or equal to 0.",
    ),
    "quantity is not a number": ({"lines-0-quantity": "abc"}, "Enter a whole number."),
    "quantity in scientific notation": ({"lines-0-quantity": "1e12"}, "Enter a whole number."),
    "absurd quantity": (
        {"lines-0-quantity": "1000000000000"},
        "Ensure this value is less than or equal to 999.",
    ),
    "required note missing": (
        {"notes": {}},
        "Fill in “Colour and name to print” for this one.",
    ),
    "name too long": (
        {"buyer_name": "A" * 101},
        "Ensure this value has at most 100 characters (it has 101).",
    ),
    "note too long": (
        {"lines-0-note_0": "n" * 501},
        "Ensure this value has at most 500 characters (it has 501).",
    ),
    "address too long": (
        {"shipping_address": "J" * 501},
        "Ensure this value has at most 500 characters (it has 501).",
    ),
    "phone too short": ({"buyer_phone": "12"}, "Enter a valid WhatsApp number"),
    "phone not a number": ({"buyer_phone": "abc"}, "Enter a valid WhatsApp number"),
    "email malformed": ({"buyer_email": "sari@"}, "Enter a valid email address."),
}


@pytest.mark.parametrize(("changes", "message"), FORM_MISTAKES.values(), ids=list(FORM_MISTAKES))
def test_a_mistake_in_the_form_is_explained_and_nothing_is_ordered(
    client, open_campaign, changes, message
):
    # given an otherwise good order with one mistake
    changes = dict(changes)
    data = order_data(
        open_campaign, quantities=changes.pop("quantities", None), notes=changes.pop("notes", None)
    )
    data.update(changes)
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(response, message, before, open_campaign)
    assert 'role="alert"' in response.content.decode() or 'class="error"' in page_text(response)


def test_a_variant_of_another_campaign_is_refused(client, open_campaign):
    # given the id of a variant that belongs to somebody else's campaign
    stranger = make_campaign(variants=[{"name": "Stranger", "price": "1000"}])
    data = order_data(open_campaign)
    data["lines-0-variant"] = str(stranger.variants.get().pk)
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(response, "That item is not part of this PO.", before, open_campaign)
    assert stranger.variants.get().reserved == 0


def test_a_form_without_its_management_fields_is_refused(client, open_campaign):
    # given a submission stripped of the lines-TOTAL_FORMS & co.
    data = {k: v for k, v in order_data(open_campaign).items() if not k.endswith("_FORMS")}
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(
        response, "ManagementForm data is missing or has been tampered with", before, open_campaign
    )


def test_an_empty_submission_is_refused(client, open_campaign):
    # given
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, {})

    # then
    assert_refused(response, "This field is required.", before, open_campaign)


def test_ordering_before_the_window_opens_is_refused(client, open_campaign):
    # given the seller moved the opening to tomorrow after the buyer loaded the page
    data = order_data(open_campaign)
    Campaign.objects.filter(pk=open_campaign.pk).update(opens_at=timezone.now() + timedelta(days=1))
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(response, "This PO is not open yet", before, open_campaign)


def test_ordering_after_the_window_closed_is_refused(client, open_campaign):
    # given
    data = order_data(open_campaign)
    Campaign.objects.filter(pk=open_campaign.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(response, "This PO is closed and takes no more orders.", before, open_campaign)


def test_ordering_from_a_sold_out_campaign_is_refused(client, open_campaign):
    # given all ten units taken
    make_order(open_campaign, quantity=10, note="Green, “TEN”")
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, order_data(open_campaign))

    # then
    assert_refused(
        response, "Sold out: every unit of this PO has been ordered.", before, open_campaign
    )


def test_more_of_a_variant_than_it_has_left_is_refused_and_gives_back_the_campaign_units(
    client, open_campaign
):
    # given Navy has its own capacity of 4, the campaign 10
    before = what_is_stored(open_campaign)

    # when a buyer asks for 5 Navy
    response = client.post(URL, order_data(open_campaign, quantities={"Navy": 5}))

    # then
    assert_refused(
        response, "Sold out: there are not enough units left for this order.", before, open_campaign
    )


def test_ordering_from_a_draft_campaign_is_not_found(client, open_campaign):
    # given
    data = order_data(open_campaign)
    Campaign.objects.filter(pk=open_campaign.pk).update(status=Campaign.Status.DRAFT)
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert response.status_code == 404
    assert_refused(response, "Page not found", before, open_campaign)
