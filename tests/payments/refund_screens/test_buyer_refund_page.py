"""The buyer's order page asks where the refund goes, then says it was sent; a payment for a
cancelled order and the admin's read-only refunds."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from payments.models import Refund
from payments.services.cancellations import cancel_order
from payments.services.refunds import give_refund_details, mark_refund_sent
from tests.factories import make_order
from tests.payments.conftest import NOTE, send
from tests.payments.pictures import proof_jpeg
from tests.payments.refund_screens.screens import state
from tests.support import page_text

pytestmark = pytest.mark.django_db


def details(refund, **fields) -> dict:
    values = {"bank": "BCA", "account_number": "1234567890", "holder": "Sari W"} | fields
    return {f"r{refund.pk}-{name}": value for name, value in values.items()}


def test_the_buyer_is_asked_where_the_refund_goes_then_told_it_is_on_its_way(client, refund):
    order = refund.order
    # given the order page of a cancelled order with a refund to send
    text = page_text(client.get(order.get_absolute_url()))
    assert "The seller will refund Rp 75.000." in text
    assert "Where should the money go?" in text
    assert f'action="/o/{order.token}/refund/{refund.pk}/"' in text
    # when the buyer gives the account
    response = client.post(f"/o/{order.token}/refund/{refund.pk}/", details(refund))
    # then it is kept and the page says the refund is on its way
    assert response.status_code == 302
    assert response["Location"] == f"/o/{order.token}/#refund-{refund.pk}"
    refund.refresh_from_db()
    assert (refund.bank, refund.account_number, refund.account_holder) == (
        "BCA",
        "1234567890",
        "Sari W",
    )
    text = page_text(client.get(order.get_absolute_url()))
    assert "Your refund of Rp 75.000 is on its way." in text
    assert "BCA 1234567890 (Sari W)" in text
    assert "Change the bank details" in text


def test_bank_details_that_do_not_fit_are_refused_beside_the_field(client, refund):
    order = refund.order
    before = state(order)
    response = client.post(
        f"/o/{order.token}/refund/{refund.pk}/", details(refund, account_number="rekening")
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Enter the account number (or the e-wallet's phone number) in digits." in text
    assert state(order) == before


def test_the_buyer_sees_the_refund_sent_with_its_date_and_reference(client, refund, owner):
    give_refund_details(refund=refund, bank="BCA", account_number="1234567890", holder="Sari")
    mark_refund_sent(refund=refund, reference="TRX-2026", proof_upload=proof_jpeg(), actor=owner)
    refund.refresh_from_db()
    order = refund.order
    # when
    text = page_text(client.get(order.get_absolute_url()))
    # then
    sent_on = timezone.localtime(refund.sent_at, timezone.get_fixed_timezone(7 * 60))
    assert f"Refund of Rp 75.000 sent on {sent_on:%-d %b %Y}, reference TRX-2026." in text
    assert "Where should the money go?" not in text
    # and the seller's proof is there for the buyer too, privately
    proof = client.get(f"/o/{order.token}/refund/{refund.pk}/proof/")
    assert proof.status_code == 200 and proof["Content-Type"] == "image/webp"


def test_details_sent_after_the_refund_went_out_change_nothing(client, refund, owner):
    mark_refund_sent(refund=refund, reference="TRX", actor=owner)
    order = refund.order
    before = state(order)
    response = client.post(f"/o/{order.token}/refund/{refund.pk}/", details(refund))
    assert response.status_code == 409
    assert "its details can no longer change" in page_text(response)
    assert state(order) == before


def test_a_refund_is_reached_only_through_its_own_orders_link(client, refund, open_campaign):
    other = make_order(open_campaign, note=NOTE)
    before = state(refund.order)
    assert client.post(f"/o/{other.token}/refund/{refund.pk}/", details(refund)).status_code == 404
    assert client.get(f"/o/{other.token}/refund/{refund.pk}/proof/").status_code == 404
    assert client.post(f"/o/not-a-token/refund/{refund.pk}/", details(refund)).status_code == 404
    assert state(refund.order) == before


def test_the_buyer_page_of_a_cancelled_order_costs_the_same_with_more_refunds(
    client, refund, owner, django_assert_num_queries
):
    order = refund.order
    with CaptureQueriesContext(connection) as queries:
        assert client.get(order.get_absolute_url()).status_code == 200
    one = len(queries)
    for n in range(3):
        Refund.objects.create(order=order, amount=Decimal(1), reason=f"Extra {n}")
    with django_assert_num_queries(one):
        assert client.get(order.get_absolute_url()).status_code == 200


def test_a_payment_to_review_for_a_cancelled_order_says_it_will_go_back(
    seller, open_campaign, owner
):
    order = make_order(open_campaign, note=NOTE)
    send(order, "75000")
    cancel_order(order=order, actor=owner, reason="Buyer asked")
    text = page_text(seller.get("/dashboard/rajut/payments/"))
    assert "This order is “Cancelled”. If the money arrived, verify it" in text


def test_staff_can_read_refunds_in_the_admin_but_not_change_them(client, refund, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.com", "pw-staff")
    client.force_login(staff)
    assert client.get("/admin/payments/refund/").status_code == 200
    page = client.get(f"/admin/payments/refund/{refund.pk}/change/")
    assert page.status_code == 200
    assert "Vendor closed" in page_text(page)
    assert client.get("/admin/payments/refund/add/").status_code == 403
