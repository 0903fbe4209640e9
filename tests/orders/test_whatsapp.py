"""WhatsApp links with the message already typed, wherever seller and buyer talk to each other:
to the right number, naming the order, the campaign and the exact amount asked for, in the
language the reader of the message speaks."""

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from orders.models import Order
from orders.services.fulfilment import mark_shipped
from orders.services.transitions import move_order
from payments.services.cancellations import cancel_order
from payments.services.payments import verify_payment
from payments.services.refunds import give_refund_details, mark_refund_sent
from tests.factories import make_buyer, make_campaign, make_order
from tests.orders.production import paid_orders
from tests.payments.conftest import awaiting_balance, send

pytestmark = pytest.mark.django_db

S = Order.Status
SHOP_NUMBER = "+6281234567890"
BUYER_NUMBER = "+6281398765432"
# 15 Aug 2031, 17:00 in Jakarta: a due date whose month reads differently in English and Indonesian.
DUE = datetime(2031, 8, 15, 10, 0, tzinfo=UTC)
# 4 Mar 2024, 10:00 in Jakarta: long past.
OVERDUE = datetime(2024, 3, 4, 3, 0, tzinfo=UTC)


def chats(response) -> list[tuple[str, str, str]]:
    """Each wa.me link of the page as (phone number, message, link text), checking on the way
    that it opens in a new tab and has a name to read out."""
    found = []
    for attributes, label in re.findall(
        r'<a ([^>]*href="https://wa\.me/[^"]*"[^>]*)>(.*?)</a>', response.content.decode(), re.S
    ):
        assert 'target="_blank"' in attributes and 'rel="noopener"' in attributes, attributes
        label = html.unescape(re.sub(r"<[^>]+>", "", label)).strip()
        assert label, attributes
        href = html.unescape(re.search(r'href="([^"]+)"', attributes)[1])
        parts = urlsplit(href)
        found.append((parts.path.lstrip("/"), parse_qs(parts.query)["text"][0], label))
    return found


def message(response, label: str) -> tuple[str, str]:
    """(phone number, message) of the one link named `label`."""
    [(phone, text)] = [(phone, text) for phone, text, name in chats(response) if name == label]
    return phone, text


def order_page(order: Order) -> str:
    return f"http://testserver/o/{order.token}/"


def seller_order_url(order: Order) -> str:
    return reverse("dashboard:order", args=[order.campaign.shop.slug, order.code])


@pytest.fixture
def owner(shop):
    return shop.owner


@pytest.fixture
def shop_on_whatsapp(shop):
    shop.whatsapp = SHOP_NUMBER
    shop.save(update_fields=["whatsapp"])
    return shop


@pytest.fixture
def sari(open_campaign) -> Order:
    """Sari's Green tote (Rp 150.000): Rp 75.000 down payment due, ordered in English."""
    return make_order(
        open_campaign, note="Green", buyer=make_buyer(name="Sari", phone=BUYER_NUMBER)
    )


@pytest.fixture
def dewi(open_campaign) -> Order:
    """The same tote, ordered by Dewi while reading the shop in Indonesian."""
    return make_order(
        open_campaign,
        note="Green",
        buyer=make_buyer(name="Dewi", phone=BUYER_NUMBER, language="id"),
    )


def with_transfer_code(order: Order, code: int = 123) -> Order:
    Order.objects.filter(pk=order.pk).update(transfer_code=code)
    order.refresh_from_db()
    return order


def deposit_in(order: Order, owner) -> Order:
    verify_payment(
        payment=send(order, order.deposit_amount), amount_received=order.deposit_amount, actor=owner
    )
    order.refresh_from_db()
    return order


# --- seller → buyer, from the order page ----------------------------------------------------------


def test_the_seller_asks_for_the_deposit_with_the_unique_code_added(seller, sari):
    # given a shop that adds a unique code to every transfer
    with_transfer_code(sari)
    # when the seller opens the pending order
    phone, text = message(seller.get(seller_order_url(sari)), "Chat on WhatsApp")
    # then the message goes to the buyer and asks for the deposit plus the code
    assert phone == BUYER_NUMBER.lstrip("+")
    assert text == (
        f"Hello Sari, about your order {sari.code} for “Custom tote”: please transfer "
        f"Rp 75.123. Your order: {order_page(sari)}"
    )


def test_the_seller_asks_for_the_balance_by_its_due_date(seller, sari, owner):
    # given the deposit is in, production is done and the balance is due on 15 Aug 2031
    order = awaiting_balance(sari, owner)
    Order.objects.filter(pk=order.pk).update(balance_due_at=DUE)
    # when the seller opens the order
    _, text = message(seller.get(seller_order_url(order)), "Chat on WhatsApp")
    # then the message names the balance, its exact amount and its due date in the shop's zone
    assert order.code in text and "“Custom tote”" in text
    assert "The balance is due by 15 Aug 2031, 17:00 WIB: please transfer Rp 75.000." in text
    assert text.endswith(f"Your order: {order_page(order)}")


def test_the_seller_tells_a_shipped_order_its_carrier_and_tracking_number(seller, shop):
    # given a paid order handed to JNE
    pins = make_campaign(shop, title="Enamel pin", min_quantity=1, deposit_rule="full")
    [order] = paid_orders(pins, 1, actor=shop.owner)
    mark_shipped(order=order, carrier="JNE", tracking_number="JNE0012345678", actor=shop.owner)
    # when the seller opens it
    _, text = message(seller.get(seller_order_url(order)), "Chat on WhatsApp")
    # then the message says where the parcel is and asks to confirm its arrival
    assert text == (
        f"Hello {order.buyer_name}, your order {order.code} for “Enamel pin” has shipped with "
        "JNE, tracking number JNE0012345678. Once it arrives, please confirm on your order "
        f"page: {order_page(order)}"
    )


def test_after_a_cancellation_the_seller_asks_where_to_send_the_refund(seller, sari, owner):
    # given a confirmed order cancelled, its deposit on the refunds list
    cancel_order(order=deposit_in(sari, owner), actor=owner, reason="Vendor closed")
    # when the seller opens it
    _, text = message(seller.get(seller_order_url(sari)), "Chat on WhatsApp")
    # then the message asks for the bank details of the Rp 75.000 refund
    assert f"about your order {sari.code} for “Custom tote”: we will refund Rp 75.000." in text
    assert "bank or e-wallet, account number and account holder" in text
    assert order_page(sari) in text


def test_the_sellers_message_is_in_the_language_of_the_order(seller, dewi):
    # when the seller, reading the dashboard in English, opens an order placed in Indonesian
    response = seller.get(seller_order_url(dewi), HTTP_ACCEPT_LANGUAGE="en")
    _, text = message(response, "Chat on WhatsApp")
    # then the buyer gets Indonesian, with the same order, amount and link
    assert text == (
        f"Halo Dewi, soal pesananmu {dewi.code} untuk “Custom tote”: silakan transfer "
        f"Rp 75.000. Pesananmu: {order_page(dewi)}"
    )


def test_dates_in_the_sellers_message_are_written_in_the_language_of_the_order(seller, dewi, owner):
    order = awaiting_balance(dewi, owner)
    Order.objects.filter(pk=order.pk).update(balance_due_at=DUE)
    _, text = message(seller.get(seller_order_url(order)), "Chat on WhatsApp")
    assert "15 Agu 2031, 17:00 WIB" in text
    assert "Aug" not in text


# --- seller → buyer, from the payment lists -------------------------------------------------------


def test_each_overdue_balance_has_a_reminder_with_what_is_owed_and_since_when(seller, sari, owner):
    # given Sari's balance (to send with the unique code 123) was due on 4 Mar 2024
    order = with_transfer_code(awaiting_balance(sari, owner))
    Order.objects.filter(pk=order.pk).update(balance_due_at=OVERDUE)
    # when the seller opens the overdue balances
    response = seller.get(reverse("dashboard:overdue_balances", args=["rajut"]))
    phone, text = message(response, "Remind on WhatsApp")
    # then the reminder goes to Sari, with the balance plus the code and the date it was due
    assert phone == BUYER_NUMBER.lstrip("+")
    assert text == (
        f"Hello Sari, a reminder about your order {order.code} for “Custom tote”: the balance "
        "of Rp 75.123 was due on 4 Mar 2024, 10:00 WIB. Please transfer it, or tell us when you "
        f"can. Your order: {order_page(order)}"
    )


def test_the_refunds_list_asks_for_bank_details_then_tells_the_refund_was_sent(seller, sari, owner):
    refunds = reverse("dashboard:refunds", args=["rajut"])
    # given a cancelled order's refund of Rp 75.000, without bank details yet
    refund = cancel_order(order=deposit_in(sari, owner), actor=owner, reason="Vendor closed").refund
    # then its row asks the buyer where to send it
    phone, text = message(seller.get(refunds), "Ask for bank details on WhatsApp")
    assert phone == BUYER_NUMBER.lstrip("+")
    assert f"order {sari.code} for “Custom tote”: we will refund Rp 75.000." in text
    assert text.endswith(order_page(sari))

    # when the buyer gives them and the seller sends it
    give_refund_details(refund=refund, bank="BCA", account_number="1234567", holder="Sari")
    mark_refund_sent(refund=refund, reference="TRX-778899", actor=owner)
    # then the row tells the buyer it was sent, with the reference
    _, text = message(seller.get(refunds), "Tell the buyer on WhatsApp")
    assert f"order {sari.code} for “Custom tote”: we have sent your refund of Rp 75.000" in text
    assert "reference TRX-778899" in text


def test_a_payment_whose_amount_differs_gets_a_question_about_it(seller, sari):
    # given Sari says she sent Rp 70.000 of a Rp 75.000 deposit
    send(sari, "70000")
    # when the seller opens the review queue
    response = seller.get(reverse("dashboard:payments", args=["rajut"]))
    phone, text = message(response, "Ask about the amount on WhatsApp")
    # then she can ask Sari about the difference
    assert phone == BUYER_NUMBER.lstrip("+")
    assert text == (
        f"Hello Sari, about your order {sari.code} for “Custom tote”: you sent Rp 70.000, but we "
        f"expected Rp 75.000. Could you check the amount? Your order: {order_page(sari)}"
    )


def test_the_payment_lists_speak_the_language_of_each_order(seller, dewi, owner):
    # given Dewi (ordering in Indonesian) whose balance is overdue
    order = awaiting_balance(dewi, owner)
    Order.objects.filter(pk=order.pk).update(balance_due_at=OVERDUE - timedelta(days=150))
    response = seller.get(reverse("dashboard:overdue_balances", args=["rajut"]))
    # then the date in her reminder is written in Indonesian (Okt, not Oct)
    _, text = message(response, "Remind on WhatsApp")
    assert "6 Okt 2023" in text


# --- buyer → seller -----------------------------------------------------------------------------


def test_a_buyer_asks_the_shop_about_a_campaign(client, shop_on_whatsapp, open_campaign):
    phone, text = message(
        client.get(open_campaign.get_absolute_url()), "Questions? Ask the seller on WhatsApp"
    )
    assert phone == SHOP_NUMBER.lstrip("+")
    assert text == (
        "Hello Rajut Test, I have a question about “Custom tote”: "
        f"http://testserver{open_campaign.get_absolute_url()}"
    )


def test_a_buyer_writes_to_the_shop_from_the_order_page_and_after_paying(
    client, shop_on_whatsapp, sari
):
    response = client.get(sari.get_absolute_url())
    # the general message names who is writing, and about which order
    phone, text = message(response, "Message the seller on WhatsApp")
    assert phone == SHOP_NUMBER.lstrip("+")
    assert text == f"Hello Rajut Test, this is Sari, order {sari.code} for “Custom tote”."
    # beside the payment instructions, the exact amount and what it pays
    _, text = message(response, "Tell the seller on WhatsApp that you have paid")
    assert text == (
        "Hello Rajut Test, this is Sari. I have transferred Rp 75.000 for the down payment (DP) "
        f"of order {sari.code} for “Custom tote”."
    )
    # and no message carries the private link
    assert all(sari.token not in text for _, text, _ in chats(response))


def test_the_buyer_says_a_transfer_for_the_balance_with_the_unique_code(
    client, shop_on_whatsapp, sari, owner
):
    order = with_transfer_code(awaiting_balance(sari, owner))
    _, text = message(
        client.get(order.get_absolute_url()), "Tell the seller on WhatsApp that you have paid"
    )
    assert f"I have transferred Rp 75.123 for the balance of order {order.code}" in text


def test_the_buyer_asks_about_a_refund(client, shop_on_whatsapp, sari, owner):
    refund = cancel_order(order=deposit_in(sari, owner), actor=owner, reason="Vendor closed").refund
    label = "Ask the seller about this refund on WhatsApp"
    _, text = message(client.get(sari.get_absolute_url()), label)
    assert text == (
        f"Hello Rajut Test, this is Sari, order {sari.code} for “Custom tote”: about my refund "
        "of Rp 75.000."
    )
    give_refund_details(refund=refund, bank="BCA", account_number="1234567", holder="Sari")
    mark_refund_sent(refund=refund, reference="TRX-778899", actor=owner)
    _, text = message(client.get(sari.get_absolute_url()), label)
    assert "about the refund of Rp 75.000 you sent, reference TRX-778899." in text


def test_without_a_shop_number_buyers_get_no_whatsapp_link(client, open_campaign, sari, owner):
    # given a shop that has not given its WhatsApp number
    assert not open_campaign.shop.whatsapp
    # then neither the campaign page nor the order page offers to write to it
    assert chats(client.get(open_campaign.get_absolute_url())) == []
    assert chats(client.get(sari.get_absolute_url())) == []
    cancel_order(order=deposit_in(sari, owner), actor=owner, reason="Vendor closed")
    assert chats(client.get(sari.get_absolute_url())) == []


def test_an_order_in_production_is_asked_for_no_money(seller, shop, owner):
    # An order in production waits for no payment: the seller's message asks for none.
    order = deposit_in(make_order(make_campaign(shop, title="Mug")), owner)
    move_order(order=order, to=S.IN_PRODUCTION)
    _, text = message(seller.get(seller_order_url(order)), "Chat on WhatsApp")
    assert "transfer" not in text and order.code in text and "“Mug”" in text


def emailed_chat(email) -> tuple[str, str]:
    """(number, decoded text) of the wa.me link in an email's text, and the same in its HTML."""
    links = [
        re.search(r"https://wa\.me/[^\s\"<]+", body) for body in (email.body, html_body(email))
    ]
    assert all(links), "no WhatsApp link in the text and the HTML"
    text_link, html_link = (html.unescape(link.group()) for link in links)
    assert text_link == html_link
    parts = urlsplit(text_link)
    return parts.path.strip("/"), parse_qs(parts.query)["text"][0]


def html_body(email) -> str:
    return next(content for content, kind in email.alternatives if kind == "text/html")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Hello Rajut Test, this is Ayu, order"), ("id", "Halo Rajut Test, aku Ayu, pesanan")],
)
def test_every_email_to_the_buyer_ends_with_a_whatsapp_link_to_the_shop(
    shop_on_whatsapp,
    open_campaign,
    django_capture_on_commit_callbacks,
    mailoutbox,
    language,
    expected,
):
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(
            open_campaign, note="Green", buyer=make_buyer(name="Ayu", language=language)
        )
    number, text = emailed_chat(mailoutbox[-1])
    assert number == SHOP_NUMBER.lstrip("+")
    assert text.startswith(expected)
    assert order.code in text and "Custom tote" in text


def test_without_a_shop_number_emails_carry_no_whatsapp_link(
    open_campaign, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        make_order(open_campaign, note="Green")
    assert "wa.me" not in mailoutbox[-1].body and "wa.me" not in html_body(mailoutbox[-1])
