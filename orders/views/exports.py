"""The seller's CSV files: the orders export and the production recap, through one writer."""

import csv
import re
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from kernel.money import quantize
from orders.models import Order
from orders.selectors import RecapVariant, lines_for_export

# Excel reads a CSV as the PC's legacy code page unless the file starts with a UTF-8 BOM;
# with it, "Sinta Dewi Ñ" stays readable.
BOM = "\ufeff"

# A cell starting with one of these runs as a formula in a spreadsheet (CSV injection); buyers
# type names, addresses and notes, so such cells are written as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PHONE = re.compile(r"\+\d+")  # an E.164 number is a harmless number, kept as it is


class _Echo:
    """csv.writer writes into this and gets each row back as a string."""

    def write(self, value: str) -> str:
        return value


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PHONE.fullmatch(value):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A CSV download streamed row by row, UTF-8 with a BOM first."""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield BOM + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# The rows are produced while the response streams, after the view has returned (and left the
# shop's time zone and maybe the request's language): so everything translated or zoned is
# worked out before, when the functions below are called, and the generators only read rows.


def orders_csv(campaign: Campaign) -> StreamingHttpResponse:
    """One row per order line, with its order's buyer and amounts; oldest order first."""
    header = [
        _("Order code"),
        _("Placed"),
        _("Status"),
        _("Buyer name"),
        _("WhatsApp"),
        _("Email"),
        _("Shipping address"),
        _("Destination"),
        _("Pickup at"),
        _("Variant"),
        _("Unit price"),
        _("Quantity"),
        _("Line total"),
        _("Customisation"),
        _("Order subtotal"),
        _("Ongkir"),
        _("Deposit"),
        _("Balance"),
    ]
    tz = ZoneInfo(campaign.shop.time_zone)
    statuses = {value: str(label) for value, label in Order.Status.choices}

    def rows():
        for line in lines_for_export(campaign):
            order = line.order
            currency = order.currency
            yield [
                order.code,
                timezone.localtime(order.created_at, tz).strftime("%Y-%m-%d %H:%M"),
                statuses[order.status],
                order.buyer_name,
                order.buyer_phone,
                order.buyer_email,
                order.shipping_address,
                order.destination_name,
                order.pickup,
                line.variant_name,
                quantize(line.unit_price, currency),
                line.quantity,
                quantize(line.total, currency),
                line.note,
                quantize(order.subtotal, currency),
                "" if order.shipping_pending else quantize(order.shipping_fee, currency),
                quantize(order.deposit_amount, currency),
                quantize(order.balance_amount, currency),
            ]

    return csv_response(f"{campaign.slug}-orders.csv", header, rows())


def recap_csv(campaign: Campaign, recap: list[RecapVariant]) -> StreamingHttpResponse:
    """The recap page as a file for the vendor: variant, customisation, units, and the total."""
    header = [_("Variant"), _("Customisation"), _("Units")]
    total_label = _("Total")

    def rows():
        for group in recap:
            for note in group.notes:
                yield [group.variant.name, note.note, note.units]
        yield [total_label, "", sum(group.units for group in recap)]

    return csv_response(f"{campaign.slug}-recap.csv", header, rows())
