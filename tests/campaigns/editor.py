"""What the editor tests share: dashboard URLs, the editor form as a browser sends it, pictures."""

import io
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

JAKARTA = ZoneInfo("Asia/Jakarta")


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
