"""The shipping screens: the seller ships one order or a pasted list, the buyer says it arrived."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Campaign
from orders.models import Order
from tests.factories import make_campaign, make_order, make_shop
from tests.orders.production import paid_orders
from tests.support import page_text

S = Order.Status


@pytest.fixture
def pins(shop):
    return make_campaign(
        shop, title="Enamel pin", slug="pin", min_quantity=2, capacity=None, deposit_rule="full"
    )


@pytest.fixture
def ready(pins, shop):
    return paid_orders(pins, 3, actor=shop.owner)


def order_url(shop, order, action=""):
    name = f"dashboard:order_{action}" if action else "dashboard:order"
    return reverse(name, args=[shop.slug, order.code])


def shipping_url(shop, campaign, confirm=False):
    name = "dashboard:campaign_shipping_confirm" if confirm else "dashboard:campaign_shipping"
    return reverse(name, args=[shop.slug, campaign.pk])


def fresh(order):
    return Order.objects.get(pk=order.pk)


def test_a_paid_orders_page_offers_mark_shipped_with_carrier_and_tracking_number(
    seller, shop, ready
):
    # when
    page = page_text(seller.get(order_url(shop, ready[0])))

    # then
    assert '<label for="id_carrier">Carrier</label>' in page
    assert '<label for="id_tracking_number">Tracking number</label>' in page
    assert "Mark shipped</button>" in page
    assert "Mark completed" not in page


def test_the_seller_marks_an_order_shipped_then_completed(
    seller, shop, ready, django_capture_on_commit_callbacks
):
    order = ready[0]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(
            order_url(shop, order, "ship"), {"carrier": "JNE", "tracking_number": "JNE42"}
        )

    # then
    assert response.status_code == 302
    assert fresh(order).status == S.SHIPPED
    assert any("JNE42" in email.body for email in mail.outbox)
    page = page_text(seller.get(order_url(shop, order)))
    assert "JNE42" in page and "Mark completed</button>" in page and "Mark shipped" not in page

    # when
    seller.post(order_url(shop, order, "complete"))

    # then
    assert fresh(order).status == S.COMPLETED


def test_too_long_a_tracking_number_is_shown_on_the_form(seller, shop, ready):
    response = seller.post(
        order_url(shop, ready[0], "ship"), {"carrier": "JNE", "tracking_number": "9" * 61}
    )
    assert response.status_code == 400
    assert fresh(ready[0]).status == S.PAID


def test_shipping_an_unpaid_order_says_why(seller, shop, pins):
    order = make_order(pins)
    response = seller.post(order_url(shop, order, "ship"), {"carrier": "JNE"}, follow=True)
    assert "Only an order paid in full can be shipped" in page_text(response)
    assert fresh(order).status == S.PENDING


def test_the_campaign_actions_link_to_the_shipping_page_once_ready(seller, shop, ready, pins):
    page = page_text(seller.get(reverse("dashboard:campaign_orders", args=[shop.slug, pins.pk])))
    assert shipping_url(shop, pins) in page


def test_the_bulk_page_previews_flags_problems_and_saves_nothing(seller, shop, pins):
    unpaid = make_order(pins)
    a, b, c = paid_orders(pins, 3, actor=shop.owner)
    text = f"{a.code},JNE,A1\n{b.code},JNE,B1\n{b.code},JNE,B2\nNOPE123,JNE,X\n{unpaid.code},JNE,U"

    # when
    page_get = page_text(seller.get(shipping_url(shop, pins)))
    response = seller.post(shipping_url(shop, pins), {"text": text})

    # then
    assert "Paste order codes and tracking numbers" in page_get
    assert "Or upload a CSV" in page_get and "Preview</button>" in page_get
    page = page_text(response)
    assert response.status_code == 200
    assert "Unknown code" in page and "NOPE123" in page
    assert "Duplicate" in page
    assert "Not ready to ship" in page
    assert "Ship 1 order</button>" in page
    assert [fresh(o).status for o in (a, b, c)] == [S.PAID] * 3


def test_confirming_the_preview_ships_the_valid_rows(
    seller, shop, ready, pins, django_capture_on_commit_callbacks
):
    a, b, c = ready
    text = f"order code,carrier,tracking number\n{a.code},JNE,A1\n{b.code.lower()},J&T,B1\n"
    preview = seller.post(shipping_url(shop, pins), {"text": text})
    assert "Ship 2 orders</button>" in page_text(preview)
    token = preview.context["token"]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(shipping_url(shop, pins, confirm=True), {"rows": token})

    # then
    assert response.status_code == 302
    assert [fresh(o).status for o in (a, b, c)] == [S.SHIPPED, S.SHIPPED, S.PAID]
    assert fresh(b).carrier == "J&T"
    assert len(mail.outbox) == 2
    assert Campaign.objects.get(pk=pins.pk).status == Campaign.Status.SHIPPING


def test_an_uploaded_csv_is_previewed_like_pasted_text(seller, shop, ready, pins):
    csv = SimpleUploadedFile(
        "resi.csv", f"\ufeff{ready[0].code};JNE;A1\r\n".encode(), content_type="text/csv"
    )
    page = page_text(seller.post(shipping_url(shop, pins), {"file": csv}))
    assert "Ship 1 order</button>" in page


def test_a_tampered_confirmation_ships_nothing(seller, shop, ready, pins):
    response = seller.post(shipping_url(shop, pins, confirm=True), {"rows": "forged"}, follow=True)
    assert "Preview the list again" in page_text(response)
    assert all(fresh(o).status == S.PAID for o in ready)


def test_rows_previewed_for_one_campaign_cannot_ship_another(seller, shop, ready, pins):
    token = seller.post(shipping_url(shop, pins), {"text": f"{ready[0].code},A1"}).context["token"]
    other = make_campaign(shop)
    seller.post(shipping_url(shop, other, confirm=True), {"rows": token})
    assert fresh(ready[0]).status == S.PAID


def test_an_empty_list_asks_for_one(seller, shop, pins):
    response = seller.post(shipping_url(shop, pins), {"text": "  "})
    assert response.status_code == 400
    assert "Paste the list, or choose a CSV file." in page_text(response)


def test_another_shops_member_cannot_preview_or_confirm(client, shop, ready, pins):
    client.force_login(make_shop(slug="other").owner)
    assert client.post(shipping_url(shop, pins), {"text": f"{ready[0].code},A1"}).status_code == 404
    assert client.post(shipping_url(shop, pins, confirm=True), {"rows": "x"}).status_code == 404


# --- the buyer ----------------------------------------------------------------------------------


def test_the_buyer_sees_carrier_and_tracking_and_confirms_receipt(client, shop, ready):
    order = ready[0]
    client.force_login(shop.owner)
    client.post(order_url(shop, order, "ship"), {"carrier": "JNE", "tracking_number": "JNE42"})
    client.logout()

    # when
    page = page_text(client.get(order.get_absolute_url()))

    # then
    assert "JNE" in page and "JNE42" in page
    assert "I received my order</button>" in page

    # when
    response = client.post(reverse("orders:received", args=[order.token]))

    # then
    assert response.status_code == 302
    order = fresh(order)
    assert order.status == S.COMPLETED
    page = page_text(client.get(order.get_absolute_url()))
    assert "Received on " in page and "I received my order" not in page
    assert "Completed" in page


def test_the_received_button_needs_the_secret_link(client, ready):
    assert client.post(reverse("orders:received", args=[ready[0].code])).status_code == 404


def test_a_buyer_cannot_complete_an_order_not_yet_shipped(client, ready):
    client.post(reverse("orders:received", args=[ready[0].token]))
    assert fresh(ready[0]).status == S.PAID
