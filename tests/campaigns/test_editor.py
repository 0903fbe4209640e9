"""A seller sets up a campaign: terms and variants, duplicate, publish, unpublish, photos."""

import io
import re
from datetime import datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaigns.exceptions import CampaignRuleBroken
from campaigns.models import Campaign, CampaignEvent, CampaignImage, Variant
from campaigns.services import photos
from campaigns.services.campaigns import VariantSpec, update_campaign
from kernel import images
from orders.models import Order, OrderLine
from tests.factories import make_campaign, make_order, make_shop
from tests.support import page_text

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


# --- helpers ---------------------------------------------------------------------------------


def url(name, shop, campaign=None, **kwargs):
    if campaign is not None:
        kwargs["campaign_id"] = campaign.pk
    return reverse(f"dashboard:{name}", kwargs={"shop_slug": shop.slug, **kwargs})


def new_campaign_data(*, variants=None, **terms) -> dict:
    """What the browser sends from the new-campaign page: every PO term and the variant rows."""
    data = {
        "title": "Custom name tote",
        "slug": "",
        "description": "Canvas tote with your name printed.",
        "opens_at": "2030-03-01T10:00",
        "closes_at": "2030-03-08T22:00",
        "min_quantity": "5",
        "capacity": "10",
        "max_per_order": "",
        "max_per_buyer": "",
        "production_days": "14",
        "shipping_days": "3",
        "deposit_rule": "percent",
        "deposit_value": "50",
        "deposit_hours": "24",
        "balance_days": "7",
        "note_prompt": "Name to print",
        "note_required": "on",
        "cancellation_policy": "No cancellation after the deposit.",
        "late_balance": "keep",
        "video_url": "",
        "sales_target": "30",
    }
    data.update(terms)
    rows = [("Green", "150000", ""), ("Navy", "165000", "4")] if variants is None else variants
    rows = [*rows, *[("", "", "")] * max(0, 3 - len(rows))]
    data |= {
        "variants-TOTAL_FORMS": str(len(rows)),
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "30",
    }
    for i, (name, price, capacity) in enumerate(rows):
        data |= {
            f"variants-{i}-name": name,
            f"variants-{i}-price": price,
            f"variants-{i}-capacity": capacity,
        }
    return {key: value for key, value in data.items() if value is not None}


class FormValues(HTMLParser):
    """The values a browser would send from the page's editor form (not the template row)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.labels: set[str] = set()
        self.controls: list[str] = []
        self._in_form = self._in_template = False
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "editor" in (a.get("class") or ""):
            self._in_form = True
        if tag == "template":
            self._in_template = True
        if not self._in_form or self._in_template:
            return
        name = a.get("name")
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a.get("id") or f"<{tag} name={name}> without an id")
        if tag == "input" and name:
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif a.get("type") not in ("submit", "file"):
                self.values[name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "template":
            self._in_template = False
        elif tag == "textarea":
            self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._in_form and not self._in_template:
            self.values[self._textarea] += data


def parse_form(response) -> FormValues:
    parser = FormValues()
    parser.feed(response.content.decode())
    return parser


def edit_data(client, campaign, **changes) -> dict:
    """The edit page's form as the browser sends it, with `changes` typed in."""
    response = client.get(url("campaign_edit", campaign.shop, campaign))
    assert response.status_code == 200
    data = parse_form(response).values
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def variant_row(campaign, name) -> int:
    """The row index of the named variant on the edit page (rows follow the variants' order)."""
    return [v.name for v in campaign.variants.all()].index(name)


def picture(fmt="JPEG", size=(1200, 900), exif=False, name=None) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (30, 120, 110))
    buffer = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0132] = "2030:03:01 10:00:00"  # DateTime
        extra["exif"] = data.tobytes()
    image.save(buffer, fmt, **extra)
    name = name or f"photo.{fmt.lower()}"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def stored_files(root) -> list[Path]:
    root = Path(root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- creating ----------------------------------------------------------------------------------


def test_seller_creates_a_draft_with_two_variants_in_the_shops_time_zone(seller, shop):
    # when the seller fills the new-campaign page with two variants
    response = seller.post(url("campaign_new", shop), new_campaign_data())

    # then a draft exists with every term, its variants in order, and a CREATED event
    campaign = Campaign.objects.get(shop=shop)
    assert response.status_code == 302
    assert response.url == url("campaign", shop, campaign)
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.slug == "custom-name-tote"
    assert campaign.reserved == 0
    assert (campaign.min_quantity, campaign.capacity, campaign.sales_target) == (5, 10, 30)
    assert campaign.note_required is True
    assert campaign.deposit_value == Decimal(50)
    # typed as Jakarta time, stored as the same moment
    assert campaign.opens_at == datetime(2030, 3, 1, 10, 0, tzinfo=JAKARTA)
    assert campaign.closes_at == datetime(2030, 3, 8, 22, 0, tzinfo=JAKARTA)
    assert [(v.name, v.price, v.capacity, v.reserved) for v in campaign.variants.all()] == [
        ("Green", Decimal(150000), None, 0),
        ("Navy", Decimal(165000), 4, 0),
    ]
    event = campaign.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.CREATED, shop.owner)


def test_an_empty_web_address_is_made_from_the_title_and_unique_in_the_shop(seller, shop):
    # given the shop already has a campaign at that address, and another shop too
    make_campaign(shop, slug="custom-name-tote")
    make_campaign(make_shop(), slug="custom-name-tote-2")

    # when the seller leaves the web address empty
    seller.post(url("campaign_new", shop), new_campaign_data())

    # then the new one takes the next free address in this shop
    assert shop.campaigns.filter(slug="custom-name-tote-2").exists()


def test_a_title_without_latin_letters_still_gets_a_web_address(seller, shop):
    seller.post(url("campaign_new", shop), new_campaign_data(title="🎒🎒"))
    assert shop.campaigns.get().slug == "po"


def test_a_web_address_another_campaign_uses_is_refused_on_its_field(seller, shop):
    # given
    make_campaign(shop, slug="tote")
    # when
    response = seller.post(url("campaign_new", shop), new_campaign_data(slug="tote"))
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [
        "Another campaign of this shop already uses this web address."
    ]
    assert shop.campaigns.count() == 1


def test_the_new_campaign_page_labels_every_input_and_offers_three_empty_variant_rows(seller, shop):
    # when
    response = seller.get(url("campaign_new", shop))
    # then
    assert response.status_code == 200
    form = parse_form(response)
    assert form.controls, "the editor form was not found"
    assert not [c for c in form.controls if c not in form.labels]
    assert form.values["variants-TOTAL_FORMS"] == "3"
    text = response.content.decode()
    assert 'type="datetime-local"' in text
    assert "style=" not in text
    assert "<script>" not in text and "<script " not in text.replace('<script src="', "")
    # the script's add-a-row button is hidden until the script shows it
    assert 'data-formset-add="variants" hidden' in text


def test_the_dashboard_links_to_the_editor_and_the_vendors(seller, shop, open_campaign):
    home = seller.get(url("home", shop)).content.decode()
    assert url("campaign_new", shop) in home
    assert url("vendors", shop) in home
    overview = seller.get(url("campaign", shop, open_campaign)).content.decode()
    for name in ("campaign_edit", "campaign_photos", "campaign_quotes", "campaign_duplicate"):
        assert url(name, shop, open_campaign) in overview
    assert url("campaign_unpublish", shop, open_campaign) in overview
    assert url("campaign_publish", shop, open_campaign) not in overview


# --- validation: one message on its field, nothing saved ---------------------------------------


@pytest.mark.parametrize(
    ("story", "changes", "field", "message"),
    [
        (
            "closes before it opens",
            {"opens_at": "2030-03-08T10:00", "closes_at": "2030-03-01T10:00"},
            "closes_at",
            "The window must close after it opens.",
        ),
        (
            "closes when it opens",
            {"opens_at": "2030-03-08T10:00", "closes_at": "2030-03-08T10:00"},
            "closes_at",
            "The window must close after it opens.",
        ),
        (
            "minimum above capacity",
            {"min_quantity": "11", "capacity": "10"},
            "min_quantity",
            "The minimum cannot be more than the capacity.",
        ),
        (
            "deposit over 100 percent",
            {"deposit_rule": "percent", "deposit_value": "120"},
            "deposit_value",
            "A percent deposit is more than 0 and at most 100.",
        ),
        (
            "fixed deposit of zero",
            {"deposit_rule": "fixed", "deposit_value": "0"},
            "deposit_value",
            "A fixed deposit must be more than zero.",
        ),
        (
            "negative fixed deposit",
            {"deposit_rule": "fixed", "deposit_value": "-5000"},
            "deposit_value",
            "A fixed deposit must be more than zero.",
        ),
        (
            "percent deposit left empty",
            {"deposit_rule": "percent", "deposit_value": ""},
            "deposit_value",
            "Enter the deposit.",
        ),
        (
            "no title",
            {"title": ""},
            "title",
            "This field is required.",
        ),
    ],
)
def test_a_term_that_breaks_a_rule_is_refused_on_its_field(
    seller, shop, story, changes, field, message
):
    # when
    response = seller.post(url("campaign_new", shop), new_campaign_data(**changes))
    # then
    assert response.status_code == 400, story
    assert response.context["form"].errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Campaign.objects.exists()
    assert not Variant.objects.exists()


def test_full_payment_needs_no_deposit_value(seller, shop):
    seller.post(url("campaign_new", shop), new_campaign_data(deposit_rule="full", deposit_value=""))
    assert shop.campaigns.get().deposit_rule == Campaign.DepositRule.FULL


@pytest.mark.parametrize(
    ("story", "rows", "row", "field", "message"),
    [
        (
            "price zero",
            [("Green", "0", "")],
            0,
            "price",
            "The price must be more than zero.",
        ),
        (
            "negative price",
            [("Green", "150000", ""), ("Navy", "-1", "")],
            1,
            "price",
            "The price must be more than zero.",
        ),
        (
            "same name twice, in other case",
            [("Green", "150000", ""), ("green ", "160000", "")],
            1,
            "name",
            "Another variant already has this name.",
        ),
        (
            "a price without a name",
            [("", "150000", "")],
            0,
            "name",
            "This field is required.",
        ),
    ],
)
def test_a_variant_row_that_breaks_a_rule_is_refused_on_its_field(
    seller, shop, story, rows, row, field, message
):
    # when
    response = seller.post(url("campaign_new", shop), new_campaign_data(variants=rows))
    # then
    assert response.status_code == 400, story
    assert response.context["variants"].forms[row].errors[field] == [message]
    assert f'id="id_variants-{row}-{field}_error"' in response.content.decode()
    assert not Campaign.objects.exists()
    assert not Variant.objects.exists()


def test_a_campaign_without_variants_is_refused(seller, shop):
    # when every variant row is left empty
    response = seller.post(url("campaign_new", shop), new_campaign_data(variants=[]))
    # then
    assert response.status_code == 400
    assert response.context["variants"].non_form_errors() == [
        "Add at least one variant with a name and a price."
    ]
    assert "Add at least one variant with a name and a price." in page_text(response)
    assert not Campaign.objects.exists()


def test_capacity_under_the_units_already_ordered_is_refused(seller, open_campaign):
    # given 3 units ordered
    make_order(open_campaign, quantity=3, note="Green, “SARI”")
    # when the seller lowers the capacity to 2
    data = edit_data(seller, open_campaign, capacity="2", min_quantity="1")
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"] == [
        "3 units are already ordered; the capacity cannot be lower."
    ]
    open_campaign.refresh_from_db()
    assert (open_campaign.capacity, open_campaign.min_quantity) == (10, 5)


def test_variant_capacity_under_its_units_already_ordered_is_refused(seller, open_campaign):
    # given 2 Navy ordered (Navy holds 4)
    navy = open_campaign.variants.get(name="Navy")
    make_order(open_campaign, quantity=2, variant=navy, note="Navy, “SARI”")
    # when the seller gives Navy a capacity of 1
    row = variant_row(open_campaign, "Navy")
    data = edit_data(seller, open_campaign, **{f"variants-{row}-capacity": "1"})
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 400
    assert response.context["variants"].forms[row].errors["capacity"] == [
        "2 units are already ordered; the capacity cannot be lower."
    ]
    navy.refresh_from_db()
    assert navy.capacity == 4


# --- editing ------------------------------------------------------------------------------------


def test_editing_prices_and_deposit_never_changes_placed_orders(seller, open_campaign):
    # given an order for 2 Green at Rp 150.000 with a 50 % deposit
    order = make_order(open_campaign, quantity=2, note="Green, “SARI”")
    before = (order.subtotal, order.deposit_amount, order.balance_amount)

    # when the seller raises Green's price, renames it, and asks 30 % deposit
    row = variant_row(open_campaign, "Green")
    data = edit_data(
        seller,
        open_campaign,
        deposit_value="30",
        **{f"variants-{row}-price": "200000", f"variants-{row}-name": "Forest green"},
    )
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)

    # then the campaign shows the new terms
    assert response.status_code == 302
    open_campaign.refresh_from_db()
    green = open_campaign.variants.get(name="Forest green")
    assert green.price == Decimal(200000)
    assert open_campaign.deposit_value == Decimal(30)
    # and the placed order keeps its snapshot, and the counters their units
    order.refresh_from_db()
    assert (order.subtotal, order.deposit_amount, order.balance_amount) == before
    line = OrderLine.objects.get(order=order)
    assert (line.variant_name, line.unit_price) == ("Green", Decimal(150000))
    assert open_campaign.reserved == 2
    assert green.reserved == 2


def test_an_order_placed_while_the_seller_edits_keeps_its_units(shop, open_campaign):
    # given the seller opened the editor before a buyer ordered 3 units
    stale = Campaign.objects.get(pk=open_campaign.pk)
    make_order(open_campaign, quantity=3, note="Green, “SARI”")
    terms = {"title": "Tote, second batch", "capacity": 10}
    specs = [
        VariantSpec(name=v.name, price=v.price, capacity=v.capacity, id=v.pk)
        for v in stale.variants.all()
    ]

    # when the stale edit is saved
    update_campaign(campaign=stale, terms=terms, variants=specs, actor=shop.owner)

    # then the counters still hold the buyer's units
    open_campaign.refresh_from_db()
    assert open_campaign.title == "Tote, second batch"
    assert open_campaign.reserved == 3
    assert open_campaign.variants.get(name="Green").reserved == 3

    # and a stale capacity check cannot slip under them either
    with pytest.raises(CampaignRuleBroken) as refused:
        update_campaign(
            campaign=stale,
            terms={"capacity": 2, "min_quantity": 1},
            variants=specs,
            actor=shop.owner,
        )
    assert refused.value.errors == {
        "capacity": ["3 units are already ordered; the capacity cannot be lower."]
    }
    open_campaign.refresh_from_db()
    assert open_campaign.capacity == 10


def test_seller_adds_and_removes_variants(seller, open_campaign):
    # given Navy has no orders
    row = variant_row(open_campaign, "Navy")
    extra = len(open_campaign.variants.all())
    # when the seller removes Navy and fills an empty row with Black
    data = edit_data(
        seller,
        open_campaign,
        **{
            f"variants-{row}-DELETE": "on",
            f"variants-{extra}-name": "Black",
            f"variants-{extra}-price": "170000",
        },
    )
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 302
    assert [v.name for v in open_campaign.variants.all()] == ["Green", "Black"]


def test_a_variant_with_orders_cannot_be_removed(seller, open_campaign):
    # given an order for Green
    make_order(open_campaign, quantity=1, note="Green, “SARI”")
    # when the seller removes Green
    row = variant_row(open_campaign, "Green")
    data = edit_data(seller, open_campaign, **{f"variants-{row}-DELETE": "on"})
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 400
    assert "“Green” has orders, so it cannot be removed." in page_text(response)
    assert open_campaign.variants.filter(name="Green").exists()


def test_removing_every_variant_is_refused(seller, open_campaign):
    data = edit_data(
        seller, open_campaign, **{"variants-0-DELETE": "on", "variants-1-DELETE": "on"}
    )
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    assert response.status_code == 400
    assert open_campaign.variants.count() == 2


def test_two_variants_can_trade_names(seller, open_campaign):
    # when Green becomes Navy and Navy becomes Green in one save
    green, navy = variant_row(open_campaign, "Green"), variant_row(open_campaign, "Navy")
    data = edit_data(
        seller,
        open_campaign,
        **{f"variants-{green}-name": "Navy", f"variants-{navy}-name": "Green"},
    )
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 302
    prices = {v.name: v.price for v in open_campaign.variants.all()}
    assert prices == {"Navy": Decimal(150000), "Green": Decimal(165000)}


def test_the_web_address_is_fixed_once_published(seller, open_campaign):
    # when the seller sends another web address for a published campaign
    data = edit_data(seller, open_campaign, slug="other-address")
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then the buyers' link keeps working
    assert response.status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.slug == "tote"


def test_the_service_refuses_a_new_web_address_once_published(shop, open_campaign):
    specs = [VariantSpec(name=v.name, price=v.price, id=v.pk) for v in open_campaign.variants.all()]
    with pytest.raises(CampaignRuleBroken) as refused:
        update_campaign(
            campaign=open_campaign, terms={"slug": "other"}, variants=specs, actor=shop.owner
        )
    assert refused.value.field == "slug"


def test_changing_a_published_campaigns_terms_is_noted_on_its_timeline(seller, open_campaign):
    # when the seller changes the capacity and a price, leaving the times as shown
    row = variant_row(open_campaign, "Navy")
    data = edit_data(seller, open_campaign, capacity="12", **{f"variants-{row}-price": "170000"})
    seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then one note says who changed what, and only what changed
    event = open_campaign.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.NOTE, open_campaign.shop.owner)
    assert event.note == "Terms changed: capacity, variants."


def test_saving_a_published_campaign_unchanged_moves_nothing(seller, open_campaign):
    # given a window stored with seconds, which the form shows to the minute
    before = (open_campaign.opens_at, open_campaign.closes_at)
    assert open_campaign.opens_at.second or open_campaign.opens_at.microsecond
    # when the seller saves without changing anything
    data = edit_data(seller, open_campaign)
    assert (
        seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data).status_code
        == 302
    )
    # then the window keeps its exact times and the timeline stays quiet
    open_campaign.refresh_from_db()
    assert (open_campaign.opens_at, open_campaign.closes_at) == before
    assert not open_campaign.events.exists()


def test_a_published_campaign_closes_earlier_but_is_extended_only_through_the_decision(
    seller, open_campaign
):
    shop_zone = ZoneInfo(open_campaign.shop.time_zone)
    closes = timezone.localtime(open_campaign.closes_at, shop_zone)
    edit = url("campaign_edit", open_campaign.shop, open_campaign)

    # when the seller types a later close in the editor
    later = (closes + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = seller.post(edit, edit_data(seller, open_campaign, closes_at=later))

    # then it is refused with where to go instead, and the window stays
    assert response.status_code == 400
    assert "use “Extend the window” on the campaign's overview" in page_text(response)
    before = open_campaign.closes_at
    open_campaign.refresh_from_db()
    assert open_campaign.closes_at == before

    # but closing earlier (to stop orders) is saved
    earlier = closes - timedelta(hours=1)
    data = edit_data(seller, open_campaign, closes_at=earlier.strftime("%Y-%m-%dT%H:%M"))
    assert seller.post(edit, data).status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.closes_at == earlier.replace(second=0, microsecond=0)


def test_editing_a_draft_writes_no_note(seller, shop):
    draft = make_campaign(shop, status=Campaign.Status.DRAFT)
    seller.post(url("campaign_edit", shop, draft), edit_data(seller, draft, capacity="99"))
    draft.refresh_from_db()
    assert draft.capacity == 99
    assert not draft.events.exists()


def test_a_draft_can_change_its_web_address(seller, shop):
    draft = make_campaign(shop, slug="draft-tote", status=Campaign.Status.DRAFT)
    data = edit_data(seller, draft, slug="tote-batch-2")
    assert seller.post(url("campaign_edit", shop, draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "tote-batch-2"


def test_the_edit_page_shows_times_in_the_shops_time_zone(seller, shop):
    campaign = make_campaign(
        shop,
        opens_at=datetime(2030, 3, 1, 10, 0, tzinfo=JAKARTA),
        closes_at=datetime(2030, 3, 8, 22, 0, tzinfo=JAKARTA),
    )
    values = parse_form(seller.get(url("campaign_edit", shop, campaign))).values
    assert (values["opens_at"], values["closes_at"]) == ("2030-03-01T10:00", "2030-03-08T22:00")


def test_the_edit_page_runs_a_fixed_number_of_queries(
    seller, open_campaign, django_assert_max_num_queries
):
    for n in range(10):
        Variant.objects.create(campaign=open_campaign, name=f"Extra {n}", price=Decimal(1000))
    with django_assert_max_num_queries(8):
        seller.get(url("campaign_edit", open_campaign.shop, open_campaign))


# --- duplicate --------------------------------------------------------------------------------


def test_duplicate_copies_terms_variants_and_photos_into_a_draft_opening_tomorrow(
    seller, shop, open_campaign, media_root
):
    # given the original has orders, a photo, and a window of 8 days opening at 09:30 Jakarta
    opens = datetime.combine(
        timezone.localdate(timezone=JAKARTA) - timedelta(days=2),
        datetime.min.time().replace(hour=9, minute=30),
        tzinfo=JAKARTA,
    )
    Campaign.objects.filter(pk=open_campaign.pk).update(
        opens_at=opens, closes_at=opens + timedelta(days=8)
    )
    open_campaign.refresh_from_db()
    make_order(open_campaign, quantity=2, note="Green, “SARI”")
    photos.add_campaign_image(campaign=open_campaign, upload=picture(), alt="Green tote")

    # when the seller duplicates it
    response = seller.post(url("campaign_duplicate", shop, open_campaign))

    # then a new draft exists with a fresh web address, nothing ordered
    copy = Campaign.objects.exclude(pk=open_campaign.pk).get()
    assert response.status_code == 302
    assert response.url == url("campaign_edit", shop, copy)
    assert copy.slug == "tote-2"
    assert copy.status == Campaign.Status.DRAFT
    assert copy.reserved == 0
    for name in ("title", "min_quantity", "capacity", "note_prompt", "note_required"):
        assert getattr(copy, name) == getattr(open_campaign, name)
    assert [(v.name, v.price, v.capacity, v.reserved) for v in copy.variants.all()] == [
        ("Green", Decimal(150000), None, 0),
        ("Navy", Decimal(165000), 4, 0),
    ]
    # its window opens tomorrow at the same time of day and lasts as long
    tomorrow = timezone.localdate(timezone=JAKARTA) + timedelta(days=1)
    local_open = timezone.localtime(copy.opens_at, JAKARTA)
    assert (local_open.date(), local_open.hour, local_open.minute) == (tomorrow, 9, 30)
    assert copy.closes_at - copy.opens_at == timedelta(days=8)
    # its photo is its own file
    photo = copy.images.get()
    original = open_campaign.images.get()
    assert photo.alt == "Green tote"
    assert photo.image.name != original.image.name
    assert Path(photo.image.path).read_bytes() == Path(original.image.path).read_bytes()
    # a CREATED event says where it came from; the original is untouched
    event = copy.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.CREATED, shop.owner)
    assert "Custom tote" in event.note
    open_campaign.refresh_from_db()
    assert (open_campaign.reserved, open_campaign.status) == (2, Campaign.Status.PUBLISHED)


def test_duplicating_again_takes_the_next_free_web_address(seller, shop, open_campaign):
    seller.post(url("campaign_duplicate", shop, open_campaign))
    seller.post(url("campaign_duplicate", shop, open_campaign))
    assert sorted(shop.campaigns.values_list("slug", flat=True)) == ["tote", "tote-2", "tote-3"]


def test_duplicate_is_a_post(seller, shop, open_campaign):
    assert seller.get(url("campaign_duplicate", shop, open_campaign)).status_code == 405
    assert shop.campaigns.count() == 1


# --- publish and unpublish ---------------------------------------------------------------------


@pytest.fixture
def draft(shop):
    return make_campaign(shop, slug="draft", status=Campaign.Status.DRAFT)


def test_publishing_a_draft_writes_who_published_it(seller, shop, draft):
    # when
    response = seller.post(url("campaign_publish", shop, draft), follow=True)
    # then
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.PUBLISHED
    event = draft.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.PUBLISHED, shop.owner)
    assert "Published: buyers can see this campaign." in page_text(response)
    assert seller.get(draft.get_absolute_url()).status_code == 200


def test_a_draft_without_variants_cannot_be_published(seller, shop, draft):
    # given the draft's only variant is gone
    draft.variants.all().delete()
    # when
    response = seller.post(url("campaign_publish", shop, draft), follow=True)
    # then
    assert "Add at least one variant before publishing." in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT
    assert not draft.events.exists()


def test_a_draft_whose_window_has_closed_cannot_be_published(seller, shop):
    now = timezone.now()
    late = make_campaign(
        shop,
        status=Campaign.Status.DRAFT,
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=2),
    )
    response = seller.post(url("campaign_publish", shop, late), follow=True)
    assert "The order window has already closed" in page_text(response)
    late.refresh_from_db()
    assert late.status == Campaign.Status.DRAFT


def test_a_published_campaign_cannot_be_published_again(seller, shop, open_campaign):
    response = seller.post(url("campaign_publish", shop, open_campaign), follow=True)
    assert "Only a draft can be published." in page_text(response)
    assert not open_campaign.events.exists()


def test_unpublishing_before_any_order_goes_back_to_draft(seller, shop, open_campaign):
    # when
    response = seller.post(url("campaign_unpublish", shop, open_campaign), follow=True)
    # then
    open_campaign.refresh_from_db()
    assert open_campaign.status == Campaign.Status.DRAFT
    event = open_campaign.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.UNPUBLISHED, shop.owner)
    assert "Back to draft" in page_text(response)
    # and buyers no longer find it (the team still previews it)
    seller.logout()
    assert seller.get(open_campaign.get_absolute_url()).status_code == 404


def test_a_campaign_with_units_ordered_stays_published(seller, shop, open_campaign):
    overview = reverse("dashboard:campaign", args=[shop.slug, open_campaign.pk])
    unpublish = url("campaign_unpublish", shop, open_campaign)
    assert unpublish in page_text(seller.get(overview))
    # given a buyer holds 2 units
    make_order(open_campaign, quantity=2, note="Green, “SARI”")
    # then the overview no longer offers to unpublish
    assert unpublish not in page_text(seller.get(overview))
    # when the seller tries to unpublish
    response = seller.post(url("campaign_unpublish", shop, open_campaign), follow=True)
    # then
    assert "Buyers have ordered 2 units, so this campaign stays published." in page_text(response)
    open_campaign.refresh_from_db()
    assert open_campaign.status == Campaign.Status.PUBLISHED
    assert not open_campaign.events.exists()


def test_a_campaign_whose_orders_all_expired_can_be_unpublished(seller, shop, open_campaign):
    # given an order that expired and gave its units back
    order = make_order(open_campaign, quantity=2, note="Green, “SARI”")
    Order.objects.filter(pk=order.pk).update(status=Order.Status.EXPIRED)
    Campaign.objects.filter(pk=open_campaign.pk).update(reserved=0)
    # when
    seller.post(url("campaign_unpublish", shop, open_campaign))
    # then
    open_campaign.refresh_from_db()
    assert open_campaign.status == Campaign.Status.DRAFT


@pytest.mark.parametrize("name", ["campaign_publish", "campaign_unpublish"])
def test_publish_and_unpublish_are_posts(seller, shop, open_campaign, name):
    assert seller.get(url(name, shop, open_campaign)).status_code == 405


# --- photos -------------------------------------------------------------------------------------


def test_seller_uploads_a_photo_stored_as_webp_with_a_thumbnail_and_no_exif(
    seller, shop, open_campaign, media_root
):
    # given a phone photo with EXIF data
    upload = picture(exif=True, size=(2400, 1800))
    assert Image.open(io.BytesIO(upload.read())).getexif()
    upload.seek(0)

    # when the seller uploads it with a description
    response = seller.post(
        url("campaign_photos", shop, open_campaign),
        {"images": upload, "alt": "Green tote on a chair"},
        follow=True,
    )

    # then one photo is stored, re-encoded as WebP, with its thumbnail, and no EXIF
    photo = open_campaign.images.get()
    assert "1 photo added." in page_text(response)
    assert photo.alt == "Green tote on a chair"
    for field, longest in ((photo.image, 1600), (photo.thumbnail, 640)):
        stored = Image.open(field.path)
        assert stored.format == "WEBP"
        assert max(stored.size) == longest
        assert not stored.getexif()
    # and the list shows the thumbnail
    assert photo.thumbnail.url in response.content.decode()


def test_seller_uploads_several_photos_at_once(seller, shop, open_campaign, media_root):
    response = seller.post(
        url("campaign_photos", shop, open_campaign),
        {"images": [picture(), picture("PNG"), picture("WEBP")]},
        follow=True,
    )
    assert open_campaign.images.count() == 3
    assert "3 photos added." in page_text(response)
    assert [p.position for p in open_campaign.images.all()] == [0, 1, 2]


def truncated_png() -> SimpleUploadedFile:
    data = picture("PNG", size=(300, 300)).read()
    return SimpleUploadedFile("cut.png", data[: len(data) // 2], content_type="image/png")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"/></svg>'


@pytest.mark.parametrize(
    ("story", "make_upload", "message"),
    [
        (
            "text renamed .png",
            lambda: SimpleUploadedFile("photo.png", b"just some notes", content_type="image/png"),
            "This file is not a picture we can read.",
        ),
        (
            "PDF renamed .jpg",
            lambda: SimpleUploadedFile(
                "photo.jpg", b"%PDF-1.4\n1 0 obj << >>\nendobj\n%%EOF", content_type="image/jpeg"
            ),
            "This file is not a picture we can read.",
        ),
        ("truncated PNG", truncated_png, "This file is not a picture we can read."),
        (
            "SVG",
            lambda: SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml"),
            "This file is not a picture we can read.",
        ),
        (
            "GIF",
            lambda: picture("GIF", name="anim.gif"),
            "Upload a JPEG, PNG or WebP picture.",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_picture_is_refused_and_nothing_stored(
    seller, shop, open_campaign, media_root, story, make_upload, message
):
    # when
    upload = make_upload()
    response = seller.post(
        url("campaign_photos", shop, open_campaign), {"images": upload}, follow=True
    )
    # then
    assert f"“{upload.name}” was not added: {message}" in page_text(response), story
    assert not CampaignImage.objects.exists()
    assert stored_files(media_root) == []


def test_a_picture_over_the_size_limit_is_refused(
    seller, shop, open_campaign, media_root, monkeypatch
):
    # given a limit small enough to pass without writing 10 MB
    upload = picture("PNG", size=(400, 400))
    monkeypatch.setattr(images, "MAX_BYTES", upload.size - 1)
    # when
    response = seller.post(
        url("campaign_photos", shop, open_campaign), {"images": upload}, follow=True
    )
    # then
    assert "was not added: The picture is larger than 10 MB." in page_text(response)
    assert not CampaignImage.objects.exists()
    assert stored_files(media_root) == []


def test_in_a_mixed_upload_the_good_photos_are_kept_and_the_bad_one_named(
    seller, shop, open_campaign, media_root
):
    bad = SimpleUploadedFile("notes.png", b"not a picture", content_type="image/png")
    response = seller.post(
        url("campaign_photos", shop, open_campaign), {"images": [picture(), bad]}, follow=True
    )
    text = page_text(response)
    assert "1 photo added." in text
    assert "“notes.png” was not added" in text
    assert open_campaign.images.count() == 1


def test_an_upload_without_a_file_says_so(seller, shop, open_campaign):
    response = seller.post(url("campaign_photos", shop, open_campaign), {"alt": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["images"] == ["Choose at least one photo."]


def test_seller_describes_and_deletes_a_photo(
    seller, shop, open_campaign, media_root, django_capture_on_commit_callbacks
):
    # given a stored photo
    photo = photos.add_campaign_image(campaign=open_campaign, upload=picture())
    files = [Path(photo.image.path), Path(photo.thumbnail.path)]
    assert all(f.exists() for f in files)

    # when the seller writes its description
    seller.post(
        url("campaign_photo", shop, open_campaign, photo_id=photo.pk),
        {f"photo-{photo.pk}-alt": "Navy tote, front"},
    )
    # then
    photo.refresh_from_db()
    assert photo.alt == "Navy tote, front"

    # when the seller deletes it
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(url("campaign_photo_delete", shop, open_campaign, photo_id=photo.pk))
    # then the row and, once committed, its files are gone
    assert response.status_code == 302
    assert not CampaignImage.objects.filter(pk=photo.pk).exists()
    assert not any(f.exists() for f in files)


def test_the_photos_page_labels_every_input(seller, shop, open_campaign, media_root):
    photos.add_campaign_image(campaign=open_campaign, upload=picture(), alt="Front")
    response = seller.get(url("campaign_photos", shop, open_campaign))
    text = response.content.decode()
    for input_id in re.findall(r'<(?:input|textarea)[^>]* id="([^"]+)"', text):
        assert f'for="{input_id}"' in text, input_id
    assert "multiple" in text and 'enctype="multipart/form-data"' in text


# --- who may use the editor ------------------------------------------------------------------


@pytest.fixture
def other_shop_things(open_campaign):
    """Another shop with its own campaign and photo; our campaign has a photo row too."""
    other = make_shop(name="Other", slug="other")
    theirs = make_campaign(other, slug="theirs")
    their_photo = CampaignImage.objects.create(
        campaign=theirs, image="x.webp", thumbnail="x-t.webp"
    )
    our_photo = CampaignImage.objects.create(
        campaign=open_campaign, image="y.webp", thumbnail="y-t.webp"
    )
    return {"other": other, "theirs": theirs, "their_photo": their_photo, "our_photo": our_photo}


EDITOR_URLS = [
    ("campaign_new", False, "get"),
    ("campaign_edit", True, "get"),
    ("campaign_edit", True, "post"),
    ("campaign_duplicate", True, "post"),
    ("campaign_publish", True, "post"),
    ("campaign_unpublish", True, "post"),
    ("campaign_photos", True, "get"),
    ("campaign_photos", True, "post"),
    ("campaign_photo", "photo", "post"),
    ("campaign_photo_delete", "photo", "post"),
]


def editor_url(name, shop, campaign, photo, scope):
    if scope is False:
        return url(name, shop)
    if scope == "photo":
        return url(name, shop, campaign, photo_id=photo.pk)
    return url(name, shop, campaign)


@pytest.mark.parametrize(("name", "scope", "method"), EDITOR_URLS)
def test_anonymous_visitors_are_sent_to_log_in(
    client, shop, open_campaign, other_shop_things, name, scope, method
):
    target = editor_url(name, shop, open_campaign, other_shop_things["our_photo"], scope)
    response = getattr(client, method)(target)
    assert response.status_code == 302
    assert "/login/" in response.url
    assert Campaign.objects.get(pk=open_campaign.pk).status == Campaign.Status.PUBLISHED


@pytest.mark.parametrize(("name", "scope", "method"), EDITOR_URLS)
def test_a_member_of_another_shop_gets_404(
    client, shop, open_campaign, other_shop_things, name, scope, method
):
    client.force_login(other_shop_things["other"].owner)
    target = editor_url(name, shop, open_campaign, other_shop_things["our_photo"], scope)
    assert getattr(client, method)(target).status_code == 404
    assert CampaignImage.objects.filter(pk=other_shop_things["our_photo"].pk).exists()
    assert Campaign.objects.count() == 2


@pytest.mark.parametrize(("name", "scope", "method"), [u for u in EDITOR_URLS if u[1]])
def test_another_shops_campaign_or_photo_id_is_404_in_our_dashboard(
    seller, shop, open_campaign, other_shop_things, name, scope, method
):
    theirs, their_photo = other_shop_things["theirs"], other_shop_things["their_photo"]
    # their campaign id under our shop
    target = editor_url(name, shop, theirs, their_photo, scope)
    assert getattr(seller, method)(target).status_code == 404
    if scope == "photo":
        # their photo id under our own campaign
        target = editor_url(name, shop, open_campaign, their_photo, scope)
        assert getattr(seller, method)(target).status_code == 404
    assert CampaignImage.objects.filter(pk=their_photo.pk).exists()
    theirs.refresh_from_db()
    assert theirs.status == Campaign.Status.PUBLISHED
    assert Campaign.objects.count() == 2
