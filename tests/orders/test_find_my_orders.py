"""Find my orders: a buyer who lost the link types the e-mail or WhatsApp number they ordered
with; the links go to the e-mail address on the orders, and the page says the same whether or
not there are any (no enumeration). Rate limited per connection and per contact."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_buyer, make_campaign, make_order, make_shop
from tests.support import page_text


def find_url(shop) -> str:
    return reverse("orders:find", args=[shop.slug])


@pytest.fixture
def sari_orders(open_campaign):
    """Sari ordered twice at this shop; someone else once."""
    sari = make_buyer(1, name="Sari", email="sari@example.com", phone="+6281200000001")
    first = make_order(open_campaign, quantity=1, note="Green", buyer=sari)
    second = make_order(open_campaign, quantity=2, note="Navy", buyer=sari)
    make_order(open_campaign, quantity=1, note="Red", buyer=make_buyer(2))
    return [first, second]


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(shop, contact, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(find_url(shop), {"contact": contact}, **extra)

    return post


def as_read(response) -> str:
    """The page without its one-time CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page_text(response))


def test_every_shop_page_offers_find_my_orders(client, shop, open_campaign):
    assert find_url(shop) in page_text(client.get(shop.get_absolute_url()))
    assert find_url(shop) in page_text(client.get(open_campaign.get_absolute_url()))


@pytest.mark.parametrize("typed", ["Sari@Example.com", "0812 0000 0001", "+62 812-0000-0001"])
def test_the_buyer_gets_one_email_with_the_links_to_each_of_their_orders(
    shop, sari_orders, ask, typed
):
    # when
    response = ask(shop, typed)

    # then
    assert response.status_code == 200
    assert "Check your e-mail" in page_text(response)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sari@example.com"]
    for order in sari_orders:
        assert order.get_absolute_url() in email.body
        assert order.code in email.body
    # nothing of the orders is on the page itself
    for order in sari_orders:
        assert order.get_absolute_url() not in page_text(response)
        assert order.code not in page_text(response)


def test_the_page_answers_the_same_whether_or_not_orders_exist(shop, sari_orders, ask):
    # when
    known = as_read(ask(shop, "sari@example.com")).replace("sari@example.com", "X")
    unknown = as_read(ask(shop, "nobody@example.com")).replace("nobody@example.com", "X")

    # then
    assert known == unknown
    assert len(mail.outbox) == 1  # only Sari's


def test_orders_at_another_shop_are_not_sent(sari_orders, ask):
    # given another shop where Sari never ordered
    other = make_shop(slug="lain")
    make_campaign(other)

    # when
    ask(other, "sari@example.com")

    # then
    assert mail.outbox == []


def test_a_shop_with_whatsapp_offers_to_ask_it_there(shop, ask):
    # given
    shop.whatsapp = "+6281234567890"
    shop.save()

    # when
    text = page_text(ask(shop, "nobody@example.com"))

    # then
    assert "https://wa.me/6281234567890?text=" in text


@pytest.mark.parametrize("typed", ["", "not an address", "12", "sari@"])
def test_what_is_neither_an_email_nor_a_number_is_refused_clearly(shop, sari_orders, ask, typed):
    # when
    response = ask(shop, typed)

    # then
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Type the e-mail address or the WhatsApp number you ordered with." in text
        or "This field is required." in text
    )
    assert mail.outbox == []


def test_one_connection_is_limited(shop, sari_orders, ask, settings):
    # given
    settings.FIND_ORDERS_RATE = "3/3600"

    # when four different contacts are tried from one address
    responses = [ask(shop, f"nobody{n}@example.com") for n in range(3)]
    fourth = ask(shop, "sari@example.com")

    # then
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert fourth.status_code == 429
    assert mail.outbox == []


def test_one_contact_is_limited_from_any_connection(shop, sari_orders, ask, settings):
    # given
    settings.FIND_ORDERS_RATE = "2/3600"

    # when the same address is asked for from three connections
    statuses = [
        ask(shop, "sari@example.com", REMOTE_ADDR=f"10.0.0.{n}").status_code for n in range(3)
    ]

    # then
    assert statuses == [200, 200, 429]
    assert len(mail.outbox) == 2


def test_the_email_is_in_the_language_the_buyer_asked_in(shop, sari_orders, ask):
    # when
    ask(shop, "sari@example.com", HTTP_ACCEPT_LANGUAGE="id")

    # then
    assert "pesanan" in mail.outbox[0].body.lower()


def test_the_email_goes_through_the_outbox(shop, sari_orders, ask):
    # when
    ask(shop, "sari@example.com")

    # then
    assert shop.emails.filter(template="order_links").get().to == "sari@example.com"


def test_a_flood_of_nonsense_is_limited_too_and_says_so(shop, ask, settings):
    # given
    settings.FIND_ORDERS_RATE = "1/3600"

    # when
    ask(shop, "nonsense")
    response = ask(shop, "more nonsense")

    # then
    assert response.status_code == 429
    assert "Too many requests; try again in an hour." in page_text(response)
