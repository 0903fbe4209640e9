"""Abuse from the open internet: rate limits, hostile bodies, and the headers on every page."""

import time
from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import resolve
from PIL import Image

from kernel import ratelimit
from kernel.uploads import max_body
from orders.models import Order
from payments.models import Payment
from tests.factories import make_order
from tests.orders.order_form import order_data
from tests.payments.pictures import jpeg_with_gps, upload
from tests.support import page_text

pytestmark = pytest.mark.django_db

CAMPAIGN_URL = "/rajut/tote/"
MB = 1024 * 1024
TOO_MANY_ORDERS = "Too many orders from your connection; try again in a few minutes."
TOO_MANY_PROOFS = "Too many payment proofs from your connection; try again in a few minutes."
TOO_LARGE = "The picture is larger than 10 MB."


@pytest.fixture
def order(open_campaign) -> Order:
    """One Green tote, its Rp 75.000 deposit due."""
    return make_order(open_campaign, note="Green, “SARI”")


@pytest.fixture
def private_root(settings):
    return settings.PRIVATE_MEDIA_ROOT


def stored_bytes(root) -> list[bytes]:
    return (
        [path.read_bytes() for path in root.rglob("*") if path.is_file()] if root.exists() else []
    )


def pay_url(order: Order) -> str:
    return f"/o/{order.token}/pay/"


def pay_data(proof=None, **fields) -> dict:
    data = {"amount": "75000", "sender_name": "Sari Wulandari", "sender_bank": "BCA"}
    data["proof"] = proof if proof is not None else upload(jpeg_with_gps(), "bukti.jpg")
    data.update(fields)
    return data


# --- rate limits ---------------------------------------------------------------------------------


def test_orders_past_the_limit_get_429_with_the_form_and_nothing_written(
    client, settings, open_campaign
):
    # given a limit of 3 orders per 10 minutes from one address, all 3 used
    settings.ORDER_RATE = "3/600"
    for _ in range(3):
        assert client.post(CAMPAIGN_URL, order_data(open_campaign)).status_code == 302
    # when a fourth comes from the same address
    response = client.post(CAMPAIGN_URL, order_data(open_campaign, buyer_name="Dewi"))
    # then the normal page says why, keeps what was typed, and orders nothing
    assert response.status_code == 429
    text = page_text(response)
    assert TOO_MANY_ORDERS in text
    assert 'value="Dewi"' in text
    assert Order.objects.count() == 3
    # and another address still orders
    other = client.post(CAMPAIGN_URL, order_data(open_campaign), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert Order.objects.count() == 4


def test_invalid_order_posts_count_too(client, settings, open_campaign):
    settings.ORDER_RATE = "2/600"
    for _ in range(2):
        assert client.post(CAMPAIGN_URL, {"buyer_name": ""}).status_code == 400
    response = client.post(CAMPAIGN_URL, order_data(open_campaign))
    assert response.status_code == 429
    assert not Order.objects.exists()


def test_proofs_past_the_limit_get_429_and_nothing_is_stored(client, settings, order, private_root):
    # given a limit of 2 proofs per 10 minutes, used by two refused attempts
    settings.PROOF_RATE = "2/600"
    for _ in range(2):
        assert client.post(pay_url(order), pay_data(amount="abc")).status_code == 400
    # when a good proof comes next from the same address
    response = client.post(pay_url(order), pay_data())
    # then it is refused on the order page, with nothing stored
    assert response.status_code == 429
    assert TOO_MANY_PROOFS in page_text(response)
    assert not Payment.objects.exists()
    assert stored_bytes(private_root) == []
    # and the order page still works for reading
    assert client.get(order.get_absolute_url()).status_code == 200


def test_the_window_ends(rf, db):
    request = rf.post("/", REMOTE_ADDR="192.0.2.1")
    assert ratelimit.allow_rate(request, "test", "1/1")
    assert not ratelimit.allow_rate(request, "test", "1/1")
    time.sleep(1.1)
    assert ratelimit.allow_rate(request, "test", "1/1")


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(rf, settings):
    settings.TRUSTED_PROXY_HOPS = 0
    spoofed = rf.post("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_ip(spoofed) == "192.0.2.1"
    # one proxy of ours appends the address it saw; what the client wrote before is ignored
    settings.TRUSTED_PROXY_HOPS = 1
    behind = rf.post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert ratelimit.client_ip(behind) == "203.0.113.9"
    # a header shorter than the configured chain proves nothing
    settings.TRUSTED_PROXY_HOPS = 2
    short = rf.post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_ip(short) == "10.0.0.5"


def test_an_ipv6_client_counts_as_its_64(rf):
    one = rf.post("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = rf.post("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert ratelimit.client_ip(one) == ratelimit.client_ip(other) == "2001:db8:1:2::"


def test_rate_strings():
    assert ratelimit.parse_rate("20/600") == (20, 600)


def test_tests_start_with_an_empty_cache():
    assert cache.get("ratelimit:order:127.0.0.1") is None


# --- hostile bodies ------------------------------------------------------------------------------


def test_a_huge_declared_body_is_refused_without_reading_it(client, order, private_root):
    # The test client's payload raises if more than its real (small) length is read.
    started = time.monotonic()
    response = client.post(pay_url(order), pay_data(), CONTENT_LENGTH=str(100 * MB))
    assert response.status_code == 413
    assert TOO_LARGE in page_text(response)
    assert time.monotonic() - started < 2
    assert not Payment.objects.exists()
    assert stored_bytes(private_root) == []


def test_a_huge_declared_order_is_refused_too(client, open_campaign):
    response = client.post(CAMPAIGN_URL, order_data(open_campaign), CONTENT_LENGTH=str(100 * MB))
    assert response.status_code == 413
    assert not Order.objects.exists()


def test_the_dashboard_takes_several_pictures_but_not_a_flood(seller, open_campaign):
    url = f"/dashboard/{open_campaign.shop.slug}/"
    assert seller.post(url, {}, CONTENT_LENGTH=str(200 * MB)).status_code == 413


def test_the_body_limit_is_one_picture_for_buyers_and_a_batch_in_the_dashboard(rf, open_campaign):
    buyer = rf.post(CAMPAIGN_URL)
    buyer.resolver_match = resolve(CAMPAIGN_URL)
    dashboard_url = f"/dashboard/{open_campaign.shop.slug}/"
    seller = rf.post(dashboard_url)
    seller.resolver_match = resolve(dashboard_url)
    assert max_body(buyer) == 11 * MB
    assert max_body(seller) == 10 * 10 * MB + MB


def padded_jpeg(size: int) -> bytes:
    picture = jpeg_with_gps()
    return picture + b"\0" * (size - len(picture))


@pytest.mark.parametrize(
    "size",
    [
        pytest.param(11 * MB, id="11 MB: over the body limit"),
        pytest.param(10 * MB + 512 * 1024, id="10.5 MB: cut off while received"),
    ],
)
def test_a_picture_over_10_mb_is_refused_and_nothing_stored(client, order, private_root, size):
    response = client.post(pay_url(order), pay_data(upload(padded_jpeg(size))))
    assert response.status_code == 413
    assert TOO_LARGE in page_text(response)
    assert not Payment.objects.exists()
    assert stored_bytes(private_root) == []


def test_a_picture_just_over_10_mb_is_refused_by_the_form(client, order, private_root):
    response = client.post(pay_url(order), pay_data(upload(padded_jpeg(10 * MB + 1))))
    assert response.status_code == 400
    assert TOO_LARGE in page_text(response)
    assert stored_bytes(private_root) == []


ZIP_PAYLOAD = b"PK\x03\x04" + b"\x14\x00" * 8 + b"evil.html<script>alert('zip')</script>PK\x05\x06"
HTML_PAYLOAD = b"<html><script>alert(document.cookie)</script></html>"


def gif_js_polyglot() -> bytes:
    """A GIF whose header also reads as JavaScript: GIF89a=...;alert(1)//"""
    buffer = BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, "GIF")
    gif = buffer.getvalue()
    return gif[:6] + b"/*" + gif[8:] + b"*/=1;alert('gif');"


@pytest.mark.parametrize(
    ("content", "payload"),
    [
        pytest.param(jpeg_with_gps() + ZIP_PAYLOAD, b"evil.html", id="JPEG+ZIP"),
        pytest.param(jpeg_with_gps() + HTML_PAYLOAD, b"<script>", id="JPEG+HTML"),
        pytest.param(gif_js_polyglot(), b"alert(", id="GIF/JS"),
    ],
)
def test_a_polyglot_is_refused_or_stored_without_its_payload(
    client, order, private_root, content, payload
):
    response = client.post(pay_url(order), pay_data(upload(content)))
    assert response.status_code in (302, 400)
    files = stored_bytes(private_root)
    if response.status_code == 400:
        assert files == []
        assert not Payment.objects.exists()
    else:
        assert files
        assert all(payload not in data and b"PK\x03\x04" not in data for data in files)
        assert all(data.startswith(b"RIFF") for data in files)  # re-encoded as WebP


# --- headers on every public page ---------------------------------------------------------------


def public_pages(order) -> list[str]:
    return [
        "/",
        "/rajut/",
        CAMPAIGN_URL,
        order.get_absolute_url(),
        "/no-such-shop/",
        "/rajut/no-such-campaign/",
        "/accounts/login/",
    ]


def assert_security_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy")
    assert csp, "no Content-Security-Policy"
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert response.headers.get("Referrer-Policy") == "same-origin"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("X-Frame-Options") == "DENY"


def test_every_public_page_sends_the_security_headers(client, order):
    statuses = {}
    for url in public_pages(order):
        response = client.get(url)
        statuses[url] = response.status_code
        assert_security_headers(response)
    assert statuses["/no-such-shop/"] == 404
    assert statuses["/rajut/no-such-campaign/"] == 404
    assert all(status == 200 for url, status in statuses.items() if "no-such" not in url)


def test_refusal_pages_send_the_security_headers_too(client, settings, order, open_campaign):
    assert_security_headers(client.post(pay_url(order), pay_data(), CONTENT_LENGTH=str(100 * MB)))
    settings.ORDER_RATE = "0/600"
    too_many = client.post(CAMPAIGN_URL, order_data(open_campaign))
    assert too_many.status_code == 429
    assert_security_headers(too_many)
