"""Hostile input at the two forms a stranger can post: the order form and the proof of payment.

Generated submissions (odd unicode, huge numbers, missing fields, repeated keys, oversized
values, bogus formset counts, random variant ids, random bytes as the "picture") must never
make a server error, and a submission that is not accepted must leave nothing behind.
"""

import re
import string
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from campaigns.models import Campaign, Variant
from kernel.models import RateCount
from kernel.phones import to_e164
from orders.models import Order, OrderEvent, OrderLine
from payments.models import Payment
from tests.factories import make_campaign, make_order, make_shop
from tests.payments import pictures

URL = "/rajut/tote/"
FUZZ = settings(
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what a hostile browser sends --------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200f\u200e\u200b",
    "\ufeff",
    "😀" * 5,
    "👩‍👩‍👧‍👦",
    "Ｓａｒｉ",
    "١٢٣",
    "１２３",
    "line\nbreak",
    "a\r\nBcc: x@example.com",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s %d {0} {{x}}",
    "1e309",
    "-1e309",
    "9" * 400,
    "-" + "9" * 400,
    "-0",
    "0",
    "-1",
    "0.5",
    "1.0",
    "1,5",
    "NaN",
    "Infinity",
    "-Infinity",
    "0x10",
    "1_000",
    "x" * 10_000,
    "😀" * 10_000,
    "9" * 10_000,
]

odd_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),  # hypothesis never makes lone surrogates here
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
# A list posts the same key several times (QueryDict: the last one is what .get() sees).
odd_value = st.one_of(odd_text, st.lists(odd_text, min_size=2, max_size=4))
form_count = st.one_of(
    st.sampled_from(["-1", "0", "1", "2", "3", "49", "50", "51", "1000", "2147483648"]),
    odd_text,
)


def last(value):
    return value[-1] if isinstance(value, list) else value


def post(client, url, data):
    """Post, turning an exception inside the app into a plain test failure."""
    RateCount.objects.all().delete()  # no rate limit may hide what the form does with the input
    try:
        response = client.post(url, data)
    except Exception as error:  # any exception is the finding
        raise AssertionError(f"the request raised {type(error).__name__}: {error}") from error
    assert response.status_code < 500, response.status_code
    assert response.status_code != 429, "rate limited although the counts were cleared"
    return response


# --- the order form -----------------------------------------------------------------------------


@pytest.fixture
def campaign(open_campaign):
    """The shared tote campaign, without capacity limits so accepted orders never sell it out."""
    Campaign.objects.filter(pk=open_campaign.pk).update(capacity=None)
    Variant.objects.filter(campaign=open_campaign).update(capacity=None)
    open_campaign.refresh_from_db()
    return open_campaign


@pytest.fixture
def foreign_variant(db):
    """A variant of another shop's campaign: never orderable from this page."""
    return make_campaign(
        make_shop(), variants=[{"name": "Elsewhere", "price": "1000"}]
    ).variants.get()


def what_is_stored(campaign) -> dict:
    campaign.refresh_from_db()
    return {
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
        "events": OrderEvent.objects.count(),
        "campaign reserved": campaign.reserved,
        "variants reserved": sorted(campaign.variants.values_list("pk", "reserved")),
    }


def padded(text: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(st.sampled_from(["", " ", "  \t", "\n"]), text, st.sampled_from(["", " "]))


def valid_order(draw, variants) -> dict:
    """A submission the form may well accept, itself drawn from a wide range."""
    name = "".join(
        draw(padded(st.one_of(st.just("Sari Rahayu"), st.text(min_size=1, max_size=90))))
    )
    data = {
        "lines-TOTAL_FORMS": str(len(variants)),
        "lines-INITIAL_FORMS": str(len(variants)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "buyer_name": name,
        "buyer_phone": draw(
            st.sampled_from(
                ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", " 081234567890 "]
            )
        ),
        "buyer_email": draw(
            st.sampled_from(["sari@example.com", " Sari@Example.COM ", "a.b+c@x.co.id"])
        ),
        "shipping_address": "".join(
            draw(
                padded(
                    st.one_of(st.just("Jl. Kenanga 12\nBandung"), st.text(min_size=1, max_size=400))
                )
            )
        ),
        "idempotency_key": draw(
            st.one_of(
                st.uuids().map(lambda u: u.hex),
                st.text(string.ascii_letters + string.digits + "_-", min_size=16, max_size=64),
            )
        ),
    }
    for i, variant in enumerate(variants):
        data[f"lines-{i}-variant"] = str(variant.pk)
        data[f"lines-{i}-quantity"] = draw(
            st.one_of(st.integers(0, 999).map(str), st.sampled_from(["", " 3 ", "2.0", "٣"]))
        )
        data[f"lines-{i}-note_0"] = "".join(draw(padded(st.text(max_size=120))))
    return data


def hostile_value(draw, key: str, variant_ids: list[int]):
    if key.endswith("_FORMS"):
        return draw(st.one_of(form_count, st.lists(form_count, min_size=2, max_size=3)))
    if key.endswith("-variant"):
        any_id = st.one_of(
            st.sampled_from(variant_ids).map(str),
            st.integers(min_value=-(2**70), max_value=2**70).map(str),
            odd_text,
        )
        return draw(st.one_of(any_id, st.lists(any_id, min_size=2, max_size=3)))
    return draw(odd_value)


def expected_lines(data: dict) -> list[tuple]:
    """The rows an accepted submission must have stored: (variant id, quantity, stripped note)."""
    total = min(int(last(data["lines-TOTAL_FORMS"])), 50)
    rows = []
    for i in range(total):
        quantity = (last(data.get(f"lines-{i}-quantity")) or "").strip()
        if quantity and int(Decimal(quantity)):
            rows.append(
                (
                    int(last(data[f"lines-{i}-variant"])),
                    int(Decimal(quantity)),
                    (last(data.get(f"lines-{i}-note_0")) or "").strip(),
                )
            )
    return sorted(rows)


@settings(FUZZ, max_examples=600)
@given(st.data())
def test_the_order_form_never_fails_and_writes_only_what_it_accepts(
    client, campaign, foreign_variant, data
):
    variants = list(campaign.variants.all())
    variant_ids = [v.pk for v in variants] + [foreign_variant.pk]
    posted = valid_order(data.draw, variants)
    keys = list(posted) + [f"lines-{len(variants)}-{f}" for f in ("variant", "quantity", "note")]
    keys += ["surprise"]
    changed = data.draw(st.sets(st.sampled_from(keys)), label="changed")
    dropped = (
        data.draw(st.sets(st.sampled_from(sorted(changed))), label="dropped") if changed else set()
    )
    for key in sorted(changed):
        if key in dropped:
            posted.pop(key, None)
        else:
            posted[key] = hostile_value(data.draw, key, variant_ids)
    before = what_is_stored(campaign)
    existing_tokens = set(Order.objects.values_list("token", flat=True))

    response = post(client, URL, posted)
    event(f"order form answered {response.status_code}")

    if response.status_code != 302:
        assert 200 <= response.status_code < 500
        assert what_is_stored(campaign) == before
        return
    match = re.fullmatch(r"/o/([^/]+)/#main", response["Location"])
    assert match, response["Location"]
    order = Order.objects.get(token=match[1])
    phone = to_e164(last(posted["buyer_phone"]))
    assert order.buyer_phone == phone  # a used key opens its order only for the same phone
    if order.token in existing_tokens:
        assert what_is_stored(campaign) == before
        return
    # then exactly one order, stored as the form cleaned it
    assert order.campaign_id == campaign.pk
    assert order.buyer_name == last(posted["buyer_name"]).strip()
    assert order.buyer_email == last(posted["buyer_email"]).strip().lower()
    assert order.shipping_address == last(posted["shipping_address"]).strip()
    lines = expected_lines(posted)
    stored = sorted(order.lines.values_list("variant_id", "quantity", "note"))
    assert stored == lines
    assert all(note for _, _, note in stored)  # the campaign requires a note
    units = sum(quantity for _, quantity, _ in lines)
    after = what_is_stored(campaign)
    assert after["orders"] == before["orders"] + 1
    assert after["lines"] == before["lines"] + len(lines)
    assert after["events"] == before["events"] + 1
    assert after["campaign reserved"] == before["campaign reserved"] + units
    assert order.subtotal == sum(
        next(v.price for v in variants if v.pk == pk) * quantity for pk, quantity, _ in lines
    )


# --- the proof of payment -----------------------------------------------------------------------

PICTURE_LIKE_STARTS = [
    b"",
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",  # JPEG header, then garbage
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",  # PNG signature, then garbage
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x7f\xff\xff\xff\x7f\xff\xff\xff\x08\x02\x00\x00\x00",
    b"RIFF\xff\xff\xff\x7fWEBPVP8 ",  # WebP container, then garbage
    b"GIF89a",
    b"%PDF-1.7\n",
    b"<svg xmlns='http://www.w3.org/2000/svg'>",
    b"PK\x03\x04",
    b"MZ",
]
FILE_NAMES = [
    "proof.jpg",
    "proof.JPEG",
    "bukti.png",
    "x.webp",
    "proof.gif",
    "proof.svg",
    "proof.exe",
    "noext",
    ".jpg",
    "../../../etc/passwd.jpg",
    "\u202egpj.exe",
    "😀😀.png",
    "a" * 300 + ".jpg",
    "bukti transfer (1).jpg",
]


@st.composite
def not_a_picture(draw):
    content = draw(st.sampled_from(PICTURE_LIKE_STARTS)) + draw(st.binary(max_size=4096))
    return SimpleUploadedFile(
        draw(st.sampled_from(FILE_NAMES)),
        content,
        content_type=draw(
            st.sampled_from(["image/jpeg", "image/png", "image/webp", "application/pdf", "", "x/y"])
        ),
    )


def stored_files() -> list:
    root = django_settings.PRIVATE_MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def order(open_campaign):
    """One Green tote: a Rp 75.000 down payment is due."""
    return make_order(open_campaign, note="Green, “SARI”")


@settings(FUZZ, max_examples=400)
@given(st.data())
def test_a_proof_that_is_not_a_picture_is_refused_and_nothing_is_kept(client, order, data):
    posted = {
        "amount": data.draw(st.sampled_from(["75000", "Rp 75.000", "75.000,00", " 75000 "])),
        "sender_name": data.draw(st.sampled_from(["Sari Wulandari", "  Sari W.  "])),
        "sender_bank": "BCA",
        "proof": data.draw(not_a_picture()),
    }
    for key in sorted(data.draw(st.sets(st.sampled_from([*posted, "surprise"])), label="changed")):
        action = data.draw(st.sampled_from(["drop", "odd", "many files"]), label=key)
        if action == "drop":
            posted.pop(key, None)
        elif action == "many files" and key == "proof":
            posted[key] = data.draw(st.lists(not_a_picture(), min_size=2, max_size=3))
        else:
            posted[key] = data.draw(odd_value)
    before = (Payment.objects.count(), order.events.count(), stored_files())

    response = post(client, f"/o/{order.token}/pay/", posted)
    event(f"payment answered {response.status_code}")
    if response.context and response.context.get("payment_form"):
        errors = sorted(response.context["payment_form"].errors)
        event("reached the picture check" if errors == ["proof"] else "refused on other fields")

    # random bytes are never a picture: refused, with the order page shown again
    assert response.status_code != 302, "a proof that is not a picture was accepted"
    assert 200 <= response.status_code < 500
    assert (Payment.objects.count(), order.events.count(), stored_files()) == before


def test_the_proof_form_still_accepts_a_real_picture(client, order):
    # guards the test above: with a real picture the same post is accepted
    data = {"amount": "75000", "sender_name": "Sari", "sender_bank": "BCA"}
    data["proof"] = pictures.proof_jpeg()
    response = post(client, f"/o/{order.token}/pay/", data)
    assert response.status_code == 302
    assert Payment.objects.count() == 1
    assert stored_files()
