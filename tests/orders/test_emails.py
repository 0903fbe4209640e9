"""The buyer hears from us by email, and only about orders that really exist."""

import pytest
from django.core import mail

from orders.exceptions import SoldOut
from tests.factories import make_buyer, make_order


def test_placing_an_order_emails_the_buyer_the_private_link_and_what_to_pay(
    open_campaign, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(open_campaign, quantity=2, note="Red", buyer=make_buyer(7))

    # then
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["buyer7@example.com"]
    assert order.code in email.subject
    assert f"http://127.0.0.1:8000/o/{order.token}/" in email.body
    assert "Rp 150.000" in email.body  # the 50 % deposit of Rp 300.000
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f"/o/{order.token}/" in html


def test_no_email_leaves_for_an_order_that_was_refused(
    open_campaign, django_capture_on_commit_callbacks
):
    # when the order asks for more than the capacity
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SoldOut):
        make_order(open_campaign, quantity=11, note="x")

    # then
    assert mail.outbox == []
