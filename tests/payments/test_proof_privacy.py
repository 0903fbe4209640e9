"""Proofs of transfer show names, banks and account numbers: only the buyer's secret link and
the shop's members ever see them (DESIGN.md, Buyer access and privacy)."""

from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import Http404
from django.views.static import serve

from payments.storage import check_private_root, private_storage
from tests.factories import make_campaign, make_order, make_shop
from tests.payments.conftest import send

pytestmark = pytest.mark.django_db

WEBP = b"WEBP"


@pytest.fixture
def payment(pending_order):
    return send(pending_order, "75000")


def buyer_url(payment, token=None) -> str:
    return f"/o/{token or payment.order.token}/proof/{payment.pk}/"


def seller_url(payment, shop_slug="rajut", thumbnail=False) -> str:
    return f"/dashboard/{shop_slug}/payments/{payment.pk}/proof/" + (
        "thumbnail/" if thumbnail else ""
    )


def assert_private_picture(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"RIFF" and body[8:12] == WEBP


def test_the_buyer_sees_their_proof_through_the_secret_link(client, payment):
    assert_private_picture(client.get(buyer_url(payment)))


def test_a_shop_member_sees_the_proof_and_its_thumbnail(seller, payment):
    assert_private_picture(seller.get(seller_url(payment)))
    assert_private_picture(seller.get(seller_url(payment, thumbnail=True)))


def test_a_wrong_token_or_the_short_code_finds_no_proof(client, payment):
    assert client.get(buyer_url(payment, token="not-the-token")).status_code == 404
    assert client.get(buyer_url(payment, token=payment.order.code)).status_code == 404


def test_one_buyers_link_does_not_open_another_buyers_proof(client, payment, open_campaign):
    # given another order of the same PO, with its own link
    other_order = make_order(open_campaign, note="Navy, “BUDI”")

    # then that link does not reach the first buyer's proof
    assert client.get(buyer_url(payment, token=other_order.token)).status_code == 404


def test_anonymous_visitors_get_no_proof_from_the_dashboard(client, payment):
    for url in [seller_url(payment), seller_url(payment, thumbnail=True)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_another_shops_seller_gets_a_404(client, payment, stranger_shop_member):
    client.force_login(stranger_shop_member)
    for url in [
        seller_url(payment),
        seller_url(payment, thumbnail=True),
        seller_url(payment, shop_slug="other"),
        seller_url(payment, shop_slug="other", thumbnail=True),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_member_of_two_shops_reaches_a_proof_only_through_its_own_shop(client, payment):
    # given a seller of another shop who also sells a PO there
    other = make_shop(slug="kain")
    send(make_order(make_campaign(other)), "75000")
    client.force_login(other.owner)

    # then Rajut's proof is not reachable through the other shop's address
    assert client.get(seller_url(payment, shop_slug="kain")).status_code == 404


def test_proofs_are_stored_outside_the_public_media_folder(payment, settings, private_files):
    # given
    stored = Path(private_files) / payment.proof.name

    # then the file is in the private folder, not under MEDIA_ROOT
    assert stored.is_file()
    assert not (Path(settings.MEDIA_ROOT) / payment.proof.name).exists()
    assert not stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    # and it has no URL to leak
    with pytest.raises(ValueError, match="no URL"):
        private_storage().url(payment.proof.name)


def test_the_media_url_does_not_serve_proofs(client, rf, payment, settings):
    # through the site
    assert client.get(f"/{settings.MEDIA_URL}{payment.proof.name}").status_code == 404
    # nor through the development media view (openpo/urls.py, DEBUG on), even climbing out
    for path in [payment.proof.name, f"../private/{payment.proof.name}"]:
        with pytest.raises((Http404, SuspiciousFileOperation)):
            serve(rf.get(f"/media/{path}"), path, document_root=settings.MEDIA_ROOT)


def test_the_order_page_links_the_proof_only_through_the_checking_view(client, payment):
    page = client.get(payment.order.get_absolute_url()).content.decode()
    assert buyer_url(payment) in page
    assert payment.proof.name not in page
    assert Path(payment.proof.name).name not in page


def test_a_private_folder_inside_the_media_folder_fails_the_checks(settings, tmp_path):
    # given a misconfiguration that would publish every proof
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"

    # then the system checks refuse it
    errors = check_private_root()
    assert [error.id for error in errors] == ["payments.E001"]
    with pytest.raises(SystemCheckError):
        call_command("check", "--fail-level", "ERROR")


def test_a_private_folder_beside_the_media_folder_passes_the_checks():
    # as the defaults are: var/media and var/private (here under the test's own folder)
    assert check_private_root() == []
