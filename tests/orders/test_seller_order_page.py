"""One order on the seller's screen: its lines, amounts and timeline, the WhatsApp message, the
team's note, and cancelling it."""

import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from campaigns.models import Campaign
from kernel.money import format_money
from orders.models import Order
from orders.services.transitions import move_order
from payments.models import Payment
from tests.orders.seller_screens import order_of, order_url
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status


def counters(campaign: Campaign) -> dict[str, int]:
    campaign = Campaign.objects.get(pk=campaign.pk)
    return {"campaign": campaign.reserved} | {v.name: v.reserved for v in campaign.variants.all()}


def test_order_page_shows_lines_amounts_buyer_and_timeline(seller, sinta_order):
    # given a confirmed order (her deposit was seen by the owner)
    owner = sinta_order.campaign.shop.owner
    move_order(order=sinta_order, to=S.CONFIRMED, actor=owner, note="BCA transfer seen")
    # when the seller opens it
    response = seller.get(order_url(sinta_order))
    # then she sees the lines with their notes and the amounts
    assert response.status_code == 200
    text = page_text(response)
    for expected in (
        sinta_order.code,
        "2 × Green",
        "Green, “SARI”",
        "Navy, “BUDI”",
        "Rp 465.000",  # subtotal
        "Rp 232.500",  # deposit (50 %)
        "Deposit due",
        "Deposit received",
        # the buyer's contact and address
        "Sinta Dewi",
        "+62 813-9876-5432",
        "sinta@example.com",
        "Jl. Melati 5<br>Bandung 40115",
        # the timeline and the raw events, with who did what
        "Order placed",
        "Waiting for deposit → Deposit received",
        owner.get_username(),
        "BCA transfer seen",
    ):
        assert expected in text, expected
    # and a place for the payments, without invented ones
    assert 'id="payments-title"' in text
    assert "No payment sent yet." in text


def test_order_page_runs_a_fixed_number_of_queries(
    seller, sinta_order, django_assert_max_num_queries
):
    # given an order with a few events
    move_order(order=sinta_order, to=S.CONFIRMED)
    move_order(order=sinta_order, to=S.IN_PRODUCTION)
    # then its page reads it, and the e-mails about it, in a handful of queries
    with django_assert_max_num_queries(8):
        assert seller.get(order_url(sinta_order)).status_code == 200


def test_whatsapp_link_opens_a_chat_with_the_buyer_naming_order_campaign_and_amount_due(
    seller, sinta_order
):
    # when the seller opens a pending order
    response = seller.get(order_url(sinta_order))
    # then the chat link goes to the buyer's number with the message typed
    link = html.unescape(re.search(r'href="(https://wa\.me/[^"]+)"', response.content.decode())[1])
    parts = urlsplit(link)
    assert parts.path == "/6281398765432"
    message = unquote(parse_qs(parts.query)["text"][0])
    assert sinta_order.code in message
    assert "Custom tote" in message
    assert "please transfer Rp 232.500." in message  # the deposit, while pending
    assert f"/o/{sinta_order.token}/" in message


def test_whatsapp_message_asks_for_the_balance_once_production_is_done(seller, sinta_order):
    # given the deposit was received and production has finished
    Payment.objects.create(
        order=sinta_order,
        kind=Payment.Kind.DEPOSIT,
        amount=sinta_order.deposit_amount,
        sender_name="Sinta",
        sender_bank="BCA",
        proof="proof.webp",
        status=Payment.Status.VERIFIED,
        amount_received=sinta_order.deposit_amount,
    )
    for status in (S.CONFIRMED, S.IN_PRODUCTION, S.AWAITING_BALANCE):
        move_order(order=sinta_order, to=status)
    # when the seller opens the order
    response = seller.get(order_url(sinta_order))
    # then the chat message names the balance as what is due
    assert response.context["money"].due.amount == Decimal("232500")
    assert "transfer%20Rp%20232.500." in response.content.decode()


def test_with_unique_transfer_codes_the_message_asks_for_the_exact_amount_to_transfer(
    seller, shop, open_campaign
):
    # given a shop that adds a unique code (kode unik) to every transfer
    shop.unique_codes = True
    shop.save()
    order = order_of(open_campaign, ("Green", 1, "A"), phone="+6281398765432")
    assert 1 <= order.transfer_code <= 999
    # when the seller opens the order
    response = seller.get(order_url(order))
    # then the page shows the code, and the message asks for the deposit plus the code
    exact = format_money(Decimal(75000) + order.transfer_code, "IDR")
    text = page_text(response)
    assert "Unique transfer code" in text
    assert exact in text
    link = re.search(r'href="(https://wa\.me/[^"]+)"', response.content.decode())[1]
    message = parse_qs(urlsplit(html.unescape(link)).query)["text"][0]
    assert f"please transfer {exact}." in message


def test_internal_note_is_saved_for_the_team_and_never_shown_to_the_buyer(
    seller, client, sinta_order
):
    # when the seller writes an internal note
    response = seller.post(
        order_url(sinta_order, "dashboard:order_note"),
        {"internal_note": "Called her: prefers the darker green"},
    )
    # then it is saved and shown back on the order's page
    assert response.status_code == 302
    sinta_order.refresh_from_db()
    assert sinta_order.internal_note == "Called her: prefers the darker green"
    assert "prefers the darker green" in page_text(seller.get(order_url(sinta_order)))
    # and the buyer's own page never shows it
    client.logout()
    buyer_page = client.get(sinta_order.get_absolute_url())
    assert "prefers the darker green" not in page_text(buyer_page)


def test_saving_the_note_never_undoes_a_status_change_made_meanwhile(seller, sinta_order):
    # given the seller's page was loaded while the order was pending, then someone confirmed it
    move_order(order=Order.objects.get(pk=sinta_order.pk), to=S.CONFIRMED)
    # when she saves a note
    seller.post(order_url(sinta_order, "dashboard:order_note"), {"internal_note": "VIP"})
    # then the order keeps its new status
    sinta_order.refresh_from_db()
    assert (sinta_order.status, sinta_order.internal_note) == (S.CONFIRMED, "VIP")


def test_cancelling_gives_the_units_back_and_writes_who_and_why_on_the_timeline(
    seller, shop, sinta_order
):
    campaign = sinta_order.campaign
    assert counters(campaign) == {"campaign": 3, "Green": 2, "Navy": 1}
    # when the seller cancels with a reason
    response = seller.post(
        order_url(sinta_order, "dashboard:order_cancel"), {"reason": "Buyer asked on WhatsApp"}
    )
    # then the order is cancelled and its units are back on sale
    assert response.status_code == 302
    sinta_order.refresh_from_db()
    assert sinta_order.status == S.CANCELLED
    assert counters(campaign) == {"campaign": 0, "Green": 0, "Navy": 0}
    # and the timeline says who and why
    event = sinta_order.events.latest("id")
    assert (event.from_status, event.to_status) == (S.PENDING, S.CANCELLED)
    assert event.actor == shop.owner
    assert event.note == "Buyer asked on WhatsApp"
    # and the page says so
    page = page_text(seller.get(response.url))
    assert "is cancelled and its units are back on sale" in page


def test_cancelling_without_a_reason_is_refused_and_changes_nothing(seller, sinta_order):
    # when the seller sends the cancel form empty
    response = seller.post(order_url(sinta_order, "dashboard:order_cancel"), {"reason": "  "})
    # then the form asks for a reason and the order stays as it was
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    sinta_order.refresh_from_db()
    assert sinta_order.status == S.PENDING
    assert sinta_order.events.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        (S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED),
        (S.CANCELLED,),
        (S.EXPIRED,),
    ],
    ids=["shipped", "cancelled", "expired"],
)
def test_an_order_that_can_no_longer_be_cancelled_is_refused_with_a_clear_message(
    seller, sinta_order, path
):
    # given an order already past the point of cancelling
    for step in path:
        move_order(order=sinta_order, to=step)
    before = (counters(sinta_order.campaign), sinta_order.events.count())
    # when the seller tries to cancel it (a stale page, a second tap)
    response = seller.post(
        order_url(sinta_order, "dashboard:order_cancel"), {"reason": "Changed my mind"}, follow=True
    )
    # then she is told why and nothing changed
    text = page_text(response)
    assert "can no longer be cancelled. Nothing changed." in text
    sinta_order.refresh_from_db()
    assert sinta_order.status == path[-1]
    assert (counters(sinta_order.campaign), sinta_order.events.count()) == before
    # and the page offers no cancel button
    assert "Cancel order</button>" not in text
