"""Bank statements ("mutasi rekening"): the seller uploads one, previews what each credit line
pays, and confirms; confirmed matches are credited as payments through crediting.py, the one door
every way money comes in shares. Lines left over wait for the seller to match or dismiss them.

Nothing is credited from a preview. A line is stored once per shop (its fingerprint, unique in
the database) and credited at most once (Payment.statement_line is unique, and the line is locked
while it is credited), so importing the same statement twice, or statements that overlap, never
credits a transfer twice.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Shop
from payments.exceptions import PaymentRefused, StatementRefused, StatementUnreadable
from payments.models import PaymentAccount, StatementImport, StatementLine
from payments.services.banks import READERS, Columns, Statement, parse_columns, preview_rows
from payments.services.crediting import credit_statement_line
from payments.services.matching import CATEGORIES, IMPORTED, MATCHED, Row, classify

# A month of a busy shop's statement is a few hundred kilobytes.
MAX_BYTES = 2 * 1024 * 1024
MAX_NOTE_LENGTH = 200


@dataclass(frozen=True)
class Preview:
    """What confirming a statement would do; nothing is written."""

    statement: StatementImport
    rows: list[Row]
    debits: int  # money out: not for orders, left out
    pending: int  # not booked by the bank yet: left for a later statement

    def of(self, category: str) -> list[Row]:
        return [row for row in self.rows if row.category == category]

    @property
    def counts(self) -> dict[str, int]:
        return {category: len(self.of(category)) for category in CATEGORIES}

    @property
    def digest(self) -> str:
        """The matches the seller saw: confirming checks they still hold."""
        keys = sorted(row.key for row in self.of(MATCHED))
        return hashlib.sha256("\n".join(keys).encode()).hexdigest()


@dataclass(frozen=True)
class Confirmation:
    statement: StatementImport
    credited: int  # lines credited to their order
    left_open: int  # lines stored for the seller to match or dismiss
    already: int  # lines the shop had imported before


def upload_statement(
    *, shop: Shop, layout: str, upload, actor, account: PaymentAccount | None = None
) -> StatementImport:
    """Keep an uploaded statement file as a draft to preview; nothing is credited.

    Rules: the layout is one of StatementImport.Layout; the account, when given, is one of the
    shop's; the file is text (UTF-8 or Windows-1252, CSV or a text export) of at most 2 MB, not a
    spreadsheet or a PDF; a bank's file reads as that bank's layout, or the line that does not is
    named. The uploader's earlier drafts for the shop, and anyone's older than a day, are dropped.
    """
    if layout not in StatementImport.Layout.values:
        raise StatementRefused(_("Choose the bank the statement is from."), field="layout")
    if account is not None and account.shop_id != shop.pk:
        raise StatementRefused(_("Choose one of the shop's accounts."), field="account")
    text = _read_text(upload)
    statement = StatementImport(
        shop=shop,
        account=account,
        layout=layout,
        file_name=(getattr(upload, "name", "") or "statement")[:200],
        text=text,
        uploaded_by=actor,
    )
    if layout == StatementImport.Layout.CSV:
        preview_rows(text)
    elif not entries_of(statement).entries:
        raise StatementUnreadable(_("The statement has no transactions."))
    with transaction.atomic():
        drafts = StatementImport.objects.filter(shop=shop, status=StatementImport.Status.DRAFT)
        stale = timezone.now() - timedelta(days=1)
        drafts.filter(uploaded_by=actor).delete()
        drafts.filter(created_at__lt=stale).delete()
        statement.save()
    return statement


def choose_columns(*, statement: StatementImport, columns: Columns) -> StatementImport:
    """For a CSV of another layout: which column holds the date, the description and the money
    in. Rules: a draft only; the file reads with these columns (or the line that does not is
    named) and has transactions."""
    if statement.status != StatementImport.Status.DRAFT:
        raise StatementRefused(_("This statement has already been imported."))
    if not parse_columns(statement.text, columns).entries:
        raise StatementUnreadable(_("No transactions were found in those columns."))
    statement.columns = columns.as_json()
    statement.save(update_fields=["columns"])
    return statement


def entries_of(statement: StatementImport) -> Statement:
    """The statement's lines as its layout reads them (StatementUnreadable if they do not)."""
    if statement.layout == StatementImport.Layout.CSV:
        if not statement.columns:
            raise StatementUnreadable(_("Choose the columns first."))
        return parse_columns(statement.text, Columns.from_json(statement.columns))
    if statement.layout == StatementImport.Layout.BCA:
        # Dates without a year are read against the day the file was uploaded.
        uploaded = timezone.localdate(statement.created_at, ZoneInfo(statement.shop.time_zone))
        return READERS["bca"](statement.text, today=uploaded)
    return READERS[statement.layout](statement.text)


def preview_statement(*, statement: StatementImport) -> Preview:
    """What each credit line of a draft would pay. Read-only, a fixed number of queries."""
    entries = entries_of(statement)
    return Preview(
        statement=statement,
        rows=classify(statement.shop, entries.credits),
        debits=entries.debits,
        pending=entries.pending,
    )


def confirm_statement(*, statement: StatementImport, digest: str, actor) -> Confirmation:
    """Import a previewed statement: every new credit line is stored, and each matched one is
    credited to its order as a verified payment with the line as its evidence.

    Rules: a draft, once (locked); the matches are still those the seller previewed (`digest`),
    else nothing happens and the seller looks again. The lines are stored in one transaction,
    under the shop's lock, so two imports of overlapping statements never store a line twice.
    Each matched line is then credited in its own transaction (credit_statement_line: the order
    still waits, within what it owes), so a busy campaign is never held for the whole file; a
    line refused there, or one interrupted, stays open for the seller, never credited twice.
    """
    with transaction.atomic():
        statement = StatementImport.objects.select_for_update().get(pk=statement.pk)
        if statement.status != StatementImport.Status.DRAFT:
            raise StatementRefused(_("This statement has already been imported."))
        # One import per shop at a time: the second sees the first's lines as imported.
        shop = Shop.objects.select_for_update().get(pk=statement.shop_id)
        statement.shop = shop
        preview = preview_statement(statement=statement)
        if digest != preview.digest:
            raise StatementRefused(
                _(
                    "The matches changed since the preview was shown (an order was paid or "
                    "cancelled meanwhile). Check the preview again, then confirm."
                )
            )
        new = [row for row in preview.rows if row.category != IMPORTED]
        lines = StatementLine.objects.bulk_create(
            StatementLine(
                shop=shop,
                statement=statement,
                booked_on=row.entry.booked_on,
                amount=row.entry.amount,
                description=row.entry.description,
                fingerprint=row.fingerprint,
                status=StatementLine.Status.OPEN,
            )
            for row in new
        )
        statement.status = StatementImport.Status.CONFIRMED
        statement.confirmed_at = timezone.now()
        statement.save(update_fields=["status", "confirmed_at"])
    credited = 0
    # Campaign by campaign, order by order: the order every decision takes its locks in.
    matched = sorted(
        ((row, line) for row, line in zip(new, lines, strict=True) if row.category == MATCHED),
        key=lambda pair: (pair[0].order.campaign_id, pair[0].order.pk, pair[1].pk),
    )
    for row, line in matched:
        try:
            credit_statement_line(line=line, order=row.order, actor=actor)
        except PaymentRefused:
            continue  # left open: the seller sees it among the lines to match
        credited += 1
    return Confirmation(
        statement=statement,
        credited=credited,
        left_open=len(new) - credited,
        already=len(preview.rows) - len(new),
    )


def dismiss_line(*, line: StatementLine, reason: str, actor) -> StatementLine:
    """Set aside a line that pays no order (a refund from a supplier, the seller's own transfer).

    Rules: an open line only, once (locked); a reason is required, at most 200 characters.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise StatementRefused(_("Say why this line pays no order."), field="reason")
    if len(reason) > MAX_NOTE_LENGTH:
        raise StatementRefused(
            _("The reason is at most %(n)d characters.") % {"n": MAX_NOTE_LENGTH}, field="reason"
        )
    with transaction.atomic():
        locked = StatementLine.objects.select_for_update().get(pk=line.pk)
        if locked.status != StatementLine.Status.OPEN:
            raise StatementRefused(_("This statement line has already been credited or dismissed."))
        locked.status = StatementLine.Status.DISMISSED
        locked.note = reason
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "note", "handled_by", "handled_at"])
    return locked


def _read_text(upload) -> str:
    """The uploaded file as text, or StatementUnreadable saying what it is instead."""
    if upload is None:
        raise StatementUnreadable(_("Choose the statement file."), field="file")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise StatementUnreadable(
            _("The file is larger than 2 MB: export a shorter period."), field="file"
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise StatementUnreadable(
            _("This is a spreadsheet (Excel): save it as CSV first, or download the CSV."),
            field="file",
        )
    if data.startswith(b"%PDF"):
        raise StatementUnreadable(
            _("This is a PDF: download the statement as CSV or text from your bank."),
            field="file",
        )
    if b"\x00" in data:
        raise StatementUnreadable(_("This is not a text (CSV) file."), field="file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementUnreadable(_("The file's text could not be read (not UTF-8)."), field="file")
