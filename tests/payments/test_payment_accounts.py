"""The seller's payment accounts: where buyers pay, kept per shop and out of other shops' reach."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from payments.models import PaymentAccount
from tests.factories import make_shop
from tests.support import page_text


def png_upload(name="qris.png", size=(1600, 1600)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (0, 0, 0)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def bca(shop):
    return PaymentAccount.objects.create(
        shop=shop, kind="bank", provider="BCA", number="1234567890", holder="Ani Rahma"
    )


def list_url(shop) -> str:
    return reverse("dashboard:payment_accounts", args=[shop.slug])


def new_url(shop) -> str:
    return reverse("dashboard:payment_account_new", args=[shop.slug])


def edit_url(shop, account) -> str:
    return reverse("dashboard:payment_account_edit", args=[shop.slug, account.pk])


def delete_url(shop, account) -> str:
    return reverse("dashboard:payment_account_delete", args=[shop.slug, account.pk])


def account_data(**changes) -> dict:
    data = {
        "kind": "bank",
        "provider": "Mandiri",
        "number": "1370012345678",
        "holder": "Ani Rahma",
        "is_active": "on",
        "position": "0",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_list_shows_each_account_in_a_table_that_folds_on_a_phone(
    seller, shop, bca, django_assert_max_num_queries
):
    # given
    PaymentAccount.objects.create(
        shop=shop, kind="ewallet", provider="GoPay", number="0812", holder="Ani"
    )

    # when
    with django_assert_max_num_queries(6):
        response = seller.get(list_url(shop))

    # then
    text = page_text(response)
    assert response.status_code == 200
    assert 'class="table"' in text
    assert 'data-label="Account number">1234567890' in text
    assert "GoPay" in text
    assert edit_url(shop, bca) in text
    assert new_url(shop) in text


def test_an_empty_list_says_buyers_will_not_know_where_to_pay(seller, shop):
    response = seller.get(list_url(shop))
    assert "buyers will not know where to pay" in page_text(response)


def test_the_form_has_a_label_for_every_input(seller, shop):
    text = seller.get(new_url(shop)).content.decode()
    for name in ["kind", "provider", "number", "holder", "qr_image", "is_active", "position"]:
        assert f'<label for="id_{name}">' in text


def test_a_seller_adds_a_bank_account(seller, shop):
    # when
    response = seller.post(new_url(shop), account_data())

    # then
    assert response["Location"] == list_url(shop)
    account = PaymentAccount.objects.get()
    assert account.shop == shop
    assert (account.kind, account.provider, account.number) == ("bank", "Mandiri", "1370012345678")
    assert account.holder == "Ani Rahma"
    assert account.is_active


def test_a_new_account_is_listed_after_the_existing_ones_by_default(seller, shop, bca):
    # when
    form = seller.get(new_url(shop)).context["form"]

    # then
    assert form["position"].value() == 1


def test_a_qr_account_stores_its_picture_re_encoded_as_webp(seller, shop, media_root):
    # when
    response = seller.post(
        new_url(shop),
        {**account_data(kind="qr", provider="QRIS", number=""), "qr_image": png_upload()},
    )

    # then
    assert response.status_code == 302
    account = PaymentAccount.objects.get()
    assert account.qr_image.name.startswith("payment-qr/")
    assert account.qr_image.name.endswith(".webp")
    with Image.open(media_root / account.qr_image.name) as stored:
        assert stored.format == "WEBP"
        assert max(stored.size) <= 1200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"number": ""}, "number", "Enter the number buyers transfer to."),
        ({"kind": "ewallet", "number": ""}, "number", "Enter the number buyers transfer to."),
        ({"kind": "qr", "number": ""}, "qr_image", "Upload the QR picture buyers scan."),
        ({"provider": ""}, "provider", "This field is required."),
        ({"holder": ""}, "holder", "This field is required."),
        ({"kind": "crypto"}, "kind", "Select a valid choice."),
        ({"position": "-1"}, "position", "greater than or equal to 0"),
    ],
)
def test_a_refused_account_says_why_and_saves_nothing(seller, shop, changes, field, message):
    # when
    response = seller.post(new_url(shop), account_data(**changes))

    # then
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in page_text(response)
    assert not PaymentAccount.objects.exists()


def test_a_text_file_renamed_png_is_refused_as_a_qr_picture(seller, shop, media_root):
    # given
    fake = SimpleUploadedFile("qris.png", b"not a picture at all", "image/png")

    # when
    response = seller.post(new_url(shop), {**account_data(kind="qr", number=""), "qr_image": fake})

    # then
    assert "This file is not a picture we can read." in page_text(response)
    assert "Upload the QR picture buyers scan." not in page_text(response)
    assert not PaymentAccount.objects.exists()
    assert list(media_root.rglob("*.*")) == []


def test_a_seller_edits_an_account(seller, shop, bca):
    # when
    response = seller.post(
        edit_url(shop, bca), account_data(provider="BCA", number="999", is_active=None)
    )

    # then
    assert response["Location"] == list_url(shop)
    bca.refresh_from_db()
    assert bca.number == "999"
    assert not bca.is_active


def test_a_qr_account_keeps_its_picture_when_edited_without_a_new_one(seller, shop):
    # given
    seller.post(new_url(shop), {**account_data(kind="qr", number=""), "qr_image": png_upload()})
    account = PaymentAccount.objects.get()
    picture = account.qr_image.name

    # when
    response = seller.post(
        edit_url(shop, account), account_data(kind="qr", number="", holder="Toko Ani")
    )

    # then
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.holder == "Toko Ani"
    assert account.qr_image.name == picture


def test_a_qr_account_cannot_drop_its_picture(seller, shop):
    # given
    seller.post(new_url(shop), {**account_data(kind="qr", number=""), "qr_image": png_upload()})
    account = PaymentAccount.objects.get()

    # when
    response = seller.post(
        edit_url(shop, account), {**account_data(kind="qr", number=""), "qr_image-clear": "on"}
    )

    # then
    assert "Upload the QR picture buyers scan." in page_text(response)
    account.refresh_from_db()
    assert account.qr_image


def test_a_seller_deletes_an_account_by_post(seller, shop, bca):
    # when
    response = seller.post(delete_url(shop, bca), follow=True)

    # then
    assert not PaymentAccount.objects.filter(pk=bca.pk).exists()
    assert "Payment account deleted." in page_text(response)


def test_deleting_takes_a_post(seller, shop, bca):
    # when
    response = seller.get(delete_url(shop, bca))

    # then
    assert response.status_code == 405
    assert PaymentAccount.objects.filter(pk=bca.pk).exists()


# Who may open these pages


def seller_pages(shop, account):
    return [
        ("get", list_url(shop)),
        ("get", new_url(shop)),
        ("post", new_url(shop)),
        ("get", edit_url(shop, account)),
        ("post", edit_url(shop, account)),
        ("post", delete_url(shop, account)),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, shop, bca):
    for method, url in seller_pages(shop, bca):
        # when
        response = getattr(client, method)(url, account_data() if method == "post" else None)

        # then
        assert response.status_code == 302, (method, url)
        assert response["Location"] == f"{reverse('login')}?next={url}"
    assert PaymentAccount.objects.count() == 1


def test_a_member_of_another_shop_gets_a_404_on_every_page(client, shop, bca):
    # given the owner of another shop
    other_shop = make_shop()
    client.force_login(other_shop.owner)

    for method, url in seller_pages(shop, bca):
        # when
        response = getattr(client, method)(url, account_data(number="666"))

        # then
        assert response.status_code == 404, (method, url)
    bca.refresh_from_db()
    assert bca.number == "1234567890"
    assert PaymentAccount.objects.count() == 1


def test_another_shops_account_is_a_404_even_under_ones_own_shop(seller, shop):
    # given an account of another shop
    theirs = PaymentAccount.objects.create(
        shop=make_shop(), kind="bank", provider="BRI", number="555", holder="Someone"
    )

    # when
    edit_get = seller.get(edit_url(shop, theirs))
    edit_post = seller.post(edit_url(shop, theirs), account_data(number="666"))
    delete = seller.post(delete_url(shop, theirs))

    # then
    assert (edit_get.status_code, edit_post.status_code, delete.status_code) == (404, 404, 404)
    theirs.refresh_from_db()
    assert theirs.number == "555"
    assert "BRI" not in page_text(seller.get(list_url(shop)))
