"""The seller's shop settings: what they may change, and who may open the shop's pages."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigns.models import Shop
from tests.campaigns.shop_pages import members_url, settings_url
from tests.factories import make_shop
from tests.support import page_text


def png_upload(name="logo.png", size=(900, 600)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (15, 118, 110)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def settings_data(shop, **changes) -> dict:
    data = {
        "name": shop.name,
        "slug": shop.slug,
        "whatsapp": "",
        "contact_email": "",
        "currency": shop.currency,
        "time_zone": shop.time_zone,
        "hold_hours": shop.hold_hours,
        "policy": "",
        "delay_threshold_days": shop.delay_threshold_days,
        "delay_refund": shop.delay_refund,
    }
    data.update(changes)
    return data


# Settings


def test_settings_page_shows_the_shop_with_a_label_for_every_input(seller, shop):
    # when
    response = seller.get(settings_url(shop))

    # then
    text = response.content.decode()
    assert response.status_code == 200
    for name in ["name", "slug", "logo", "whatsapp", "contact_email", "currency", "time_zone"]:
        assert f'<label for="id_{name}">' in text
    assert 'value="Rajut Test"' in text
    assert "links you have already shared stop working" in page_text(response)
    assert '<option value="Asia/Makassar">' in text
    assert '<option value="Europe/Amsterdam">' in text
    assert reverse("password_change") in text


def test_a_seller_saves_their_shop_settings(seller, shop):
    # when
    response = seller.post(
        settings_url(shop),
        settings_data(
            shop,
            name="Rajut Ani",
            whatsapp="0812-3456-7890",
            contact_email="halo@rajut.example",
            currency="SGD",
            time_zone="Asia/Makassar",
            policy="DP tidak dapat dikembalikan.",
        ),
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == settings_url(shop)
    shop.refresh_from_db()
    assert shop.name == "Rajut Ani"
    assert shop.whatsapp == "+6281234567890"
    assert shop.contact_email == "halo@rajut.example"
    assert shop.currency == "SGD"
    assert shop.time_zone == "Asia/Makassar"
    assert shop.policy == "DP tidak dapat dikembalikan."
    assert "Shop settings saved." in page_text(seller.get(response["Location"]))


def test_a_new_web_address_moves_the_shop_and_its_settings_page(seller, shop):
    # when
    response = seller.post(settings_url(shop), settings_data(shop, slug="Rajut-Ani"))

    # then
    shop.refresh_from_db()
    assert shop.slug == "rajut-ani"
    assert response["Location"] == reverse("dashboard:shop_settings", args=["rajut-ani"])
    assert seller.get("/rajut-ani/").status_code == 200
    assert seller.get("/rajut/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"whatsapp": "12345"}, "whatsapp", "Enter a valid WhatsApp number"),
        ({"slug": "dashboard"}, "slug", "“dashboard” is reserved; choose another."),
        ({"slug": "Other-Shop"}, "slug", "Another shop uses that web address"),
        ({"slug": "rajut ani"}, "slug", "Enter a valid “slug”"),
        ({"slug": ""}, "slug", "This field is required."),
        ({"currency": "XYZ"}, "currency", "Select a valid choice."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"contact_email": "not-an-email"}, "contact_email", "Enter a valid email address."),
    ],
)
def test_settings_refused_show_the_reason_and_save_nothing(seller, shop, changes, field, message):
    # given another shop at "other-shop"
    make_shop(slug="other-shop")

    # when
    response = seller.post(settings_url(shop), settings_data(shop, name="Renamed", **changes))

    # then
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in page_text(response)
    shop.refresh_from_db()
    assert shop.name == "Rajut Test"
    assert shop.slug == "rajut"


def test_a_new_web_address_in_a_refused_form_does_not_leak_into_the_pages_links(seller, shop):
    # when a new address comes with a bad phone number, so nothing is saved
    response = seller.post(
        settings_url(shop), settings_data(shop, slug="rajut-baru", whatsapp="12345")
    )

    # then the page still points at the shop's real address
    text = response.content.decode()
    assert response.status_code == 200
    assert f'action="{settings_url(shop)}"' in text
    assert "/dashboard/rajut-baru/" not in text


def test_a_logo_is_stored_re_encoded_as_webp_and_shrunk(seller, shop, media_root):
    # when
    response = seller.post(
        settings_url(shop), {**settings_data(shop), "logo": png_upload(size=(2000, 1000))}
    )

    # then
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.logo.name.startswith("shops/")
    assert shop.logo.name.endswith(".webp")
    assert "logo" not in shop.logo.name  # a random name, not the uploaded one
    with Image.open(media_root / shop.logo.name) as stored:
        assert stored.format == "WEBP"
        assert max(stored.size) <= 512


def test_a_text_file_renamed_png_is_refused_with_a_clear_message(seller, shop, media_root):
    # given
    fake = SimpleUploadedFile("logo.png", b"just some text, not a picture", "image/png")

    # when
    response = seller.post(
        settings_url(shop), {**settings_data(shop, name="Renamed"), "logo": fake}
    )

    # then
    assert response.status_code == 200
    assert "This file is not a picture we can read." in page_text(response)
    shop.refresh_from_db()
    assert shop.name == "Rajut Test"
    assert not shop.logo
    assert list(media_root.rglob("*.*")) == []


def test_a_gif_is_refused_as_a_format_we_do_not_take(seller, shop):
    # given
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    gif = SimpleUploadedFile("logo.gif", buffer.getvalue(), "image/gif")

    # when
    response = seller.post(settings_url(shop), {**settings_data(shop), "logo": gif})

    # then
    assert "Upload a JPEG, PNG or WebP picture." in page_text(response)
    shop.refresh_from_db()
    assert not shop.logo


def test_a_logo_can_be_cleared(seller, shop):
    # given
    seller.post(settings_url(shop), {**settings_data(shop), "logo": png_upload()})

    # when
    seller.post(settings_url(shop), {**settings_data(shop), "logo-clear": "on"})

    # then
    shop.refresh_from_db()
    assert not shop.logo


def test_only_owners_change_the_settings_and_the_log_says_what_changed(client, shop, member):
    # given a manager
    client.force_login(member)

    # when the manager tries, then the owner
    refused = client.post(settings_url(shop), settings_data(shop, name="Rajut Budi"))
    client.force_login(shop.owner)
    client.post(settings_url(shop), settings_data(shop, name="Rajut Ani", policy="No refunds."))

    # then
    shop.refresh_from_db()
    assert refused.status_code == 403
    assert shop.name == "Rajut Ani"
    entry = shop.log.get()
    assert (entry.actor, entry.kind) == (shop.owner, "settings")
    assert str(entry.note) == "Settings changed: name, shop policy."


# Who may open these pages


SELLER_PAGES = [
    ("get", "dashboard:shop_settings", False),
    ("post", "dashboard:shop_settings", False),
    ("get", "dashboard:members", False),
    ("post", "dashboard:members", False),
    ("post", "dashboard:member_remove", True),
]


def seller_page(name: str, shop: Shop, with_member: bool) -> str:
    args = [shop.slug, shop.owner.pk] if with_member else [shop.slug]
    return reverse(name, args=args)


@pytest.mark.parametrize(("method", "name", "with_member"), SELLER_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, shop, method, name, with_member):
    # when
    url = seller_page(name, shop, with_member)
    response = getattr(client, method)(url)

    # then
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("method", "name", "with_member"), SELLER_PAGES)
def test_a_member_of_another_shop_gets_a_404(client, shop, method, name, with_member):
    # given the owner of another shop
    other_shop = make_shop()
    client.force_login(other_shop.owner)

    # when
    response = getattr(client, method)(
        seller_page(name, shop, with_member), {"name": "Hijacked", "email": "x@example.com"}
    )

    # then
    assert response.status_code == 404
    shop.refresh_from_db()
    assert shop.name == "Rajut Test"


def test_the_dashboard_nav_links_to_settings_payment_accounts_and_members(seller, shop):
    # when
    text = seller.get(reverse("dashboard:home", args=[shop.slug])).content.decode()

    # then
    assert settings_url(shop) in text
    assert reverse("dashboard:payment_accounts", args=[shop.slug]) in text
    assert members_url(shop) in text


def test_the_owner_sets_what_buyers_may_refuse_when_dates_slip(seller, shop):
    # when
    seller.post(
        settings_url(shop),
        settings_data(shop, delay_threshold_days="7", delay_refund="beyond_deposit"),
    )
    refused = seller.post(settings_url(shop), settings_data(shop, delay_threshold_days="-1"))

    # then
    shop.refresh_from_db()
    assert (shop.delay_threshold_days, shop.delay_refund) == (7, "beyond_deposit")
    assert "Ensure this value is greater than or equal to 0." in refused.content.decode()
