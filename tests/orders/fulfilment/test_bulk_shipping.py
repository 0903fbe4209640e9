"""Shipping in bulk: pasted lines are previewed without saving, then only the rows that can ship
do, and the campaign starts shipping once."""

import pytest
from django.core import mail

from campaigns.models import Campaign, CampaignEvent
from orders.exceptions import ShippingRefused
from orders.models import Order
from orders.services.fulfilment import mark_shipped, preview_bulk_shipping, ship_in_bulk
from tests.factories import make_campaign, make_order
from tests.orders.fulfilment.checks import campaign_status, fresh, snapshot
from tests.orders.production import paid_orders

S = Order.Status
C = Campaign.Status


def test_preview_reads_pasted_lines_in_any_separator_header_and_case_and_saves_nothing(ready, pins):
    a, b, c = ready
    text = (
        "Order code;Carrier;Tracking number\n"
        f"  {a.code.lower()} ; JNE ; JNE001 \n"
        "\n"
        f"{b.code};J&T;JT002\n"
        f"{c.code};SC003\n"
    )
    before = snapshot(pins)

    # when
    preview = preview_bulk_shipping(campaign=pins, text=text)

    # then
    assert [(r.code, r.carrier, r.tracking_number) for r in preview.ok] == [
        (a.code, "JNE", "JNE001"),
        (b.code, "J&T", "JT002"),
        (c.code, "", "SC003"),
    ]
    assert [row.line for row in preview.ok] == [2, 4, 5]
    assert snapshot(pins) == before


def test_preview_reads_a_paste_as_people_type_it_spaces_tabs_commas_semicolons_mixed(ready, pins):
    # given a list typed in a chat and pasted from a spreadsheet, in one paste with a header
    a, b, c = ready
    text = (
        f"Kode  Resi\n{a.code}   JNE0001\n{b.code} J&T Express  JT0002\n{c.code}\tSiCepat\tSC0003\n"
    )

    # when
    preview = preview_bulk_shipping(campaign=pins, text=text)

    # then each line is read by its own separator; a carrier may be several words
    assert [(r.code, r.carrier, r.tracking_number) for r in preview.ok] == [
        (a.code, "", "JNE0001"),
        (b.code, "J&T Express", "JT0002"),
        (c.code, "SiCepat", "SC0003"),
    ]
    assert not preview.unreadable


@pytest.mark.parametrize("separator", [",", "\t", " ", ";"])
def test_preview_reads_lines_in_any_one_separator_without_header(ready, pins, separator):
    text = "\n".join(f"{order.code}{separator}T{order.pk}" for order in ready)
    preview = preview_bulk_shipping(campaign=pins, text=text)
    assert [row.code for row in preview.ok] == [order.code for order in ready]


def test_preview_flags_unknown_duplicate_and_unpaid_rows(pins, shop, seller):
    unpaid = make_order(pins)
    a, b, c = paid_orders(pins, 3, actor=seller)
    elsewhere = make_order(make_campaign(shop))
    text = "\n".join(
        [
            f"{a.code},JNE,1",
            f"{b.code},JNE,2",
            f"{b.code},JNE,3",
            "ZZZZZZZ,JNE,4",
            f"{elsewhere.code},JNE,5",  # another campaign's order is unknown here
            f"{unpaid.code},JNE,6",
            f"{c.code}",  # no tracking number: unreadable
        ]
    )

    # when
    preview = preview_bulk_shipping(campaign=pins, text=text)

    # then
    assert [row.code for row in preview.ok] == [a.code]
    assert [row.code for row in preview.duplicates] == [b.code, b.code]
    assert [row.code for row in preview.unknown] == ["ZZZZZZZ", elsewhere.code]
    assert [row.code for row in preview.not_ready] == [unpaid.code]
    assert [row.code for row in preview.unreadable] == [c.code]


def test_bulk_shipping_ships_only_the_valid_rows_and_the_campaign_once(
    ready, pins, seller, django_capture_on_commit_callbacks
):
    a, b, c = ready
    mark_shipped(order=c, carrier="JNE", tracking_number="EARLIER", actor=seller)
    mail.outbox.clear()
    rows = [
        (a.code.lower(), "JNE", "A1"),
        (b.code, "JNE", "B1"),
        (c.code, "JNE", "C-again"),  # shipped since the preview
        ("ZZZZZZZ", "JNE", "Z"),
    ]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = ship_in_bulk(campaign=pins, rows=rows, actor=seller)

    # then
    assert result.shipped == [a.code, b.code]
    assert result.skipped == [c.code, "ZZZZZZZ"]
    assert fresh(a).tracking_number == "A1" and fresh(b).tracking_number == "B1"
    assert fresh(c).tracking_number == "EARLIER"
    assert len(mail.outbox) == 2
    assert CampaignEvent.objects.filter(campaign=pins, to_status=C.SHIPPING).count() == 1


def test_bulk_shipping_never_ships_a_code_given_twice(ready, pins, seller):
    rows = [(ready[0].code, "JNE", "1"), (ready[0].code, "JNE", "2")]
    result = ship_in_bulk(campaign=pins, rows=rows, actor=seller)
    assert result.shipped == []
    assert fresh(ready[0]).status == S.PAID
    assert campaign_status(ready[0]) == C.READY


def test_bulk_shipping_is_refused_before_production_has_finished(pins, seller):
    order = make_order(pins)
    before = snapshot(pins)
    with pytest.raises(ShippingRefused, match="production has finished"):
        ship_in_bulk(campaign=pins, rows=[(order.code, "JNE", "1")], actor=seller)
    assert snapshot(pins) == before
