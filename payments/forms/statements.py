"""The bank statement screens' forms: uploading a statement, picking the columns of a CSV of
another layout, searching an order for a line, dismissing a line."""

from django import forms
from django.utils.translation import gettext_lazy as _

from payments.models import PaymentAccount, StatementImport
from payments.services.statements import MAX_NOTE_LENGTH

STATEMENT_TYPES = ".csv,.txt,text/csv,text/plain"


class StatementUploadForm(forms.Form):
    layout = forms.ChoiceField(label=_("Bank"), choices=StatementImport.Layout.choices)
    account = forms.ModelChoiceField(
        label=_("Account"),
        queryset=PaymentAccount.objects.none(),
        required=False,
        empty_label=_("(not said)"),
        help_text=_("The account this statement is of, for your records."),
    )
    file = forms.FileField(
        label=_("Statement file"),
        help_text=_(
            "The mutasi rekening as your internet banking downloads it: CSV or text, up to 2 MB."
        ),
        widget=forms.FileInput(attrs={"accept": STATEMENT_TYPES}),
    )

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = PaymentAccount.objects.filter(
            shop=shop, kind=PaymentAccount.Kind.BANK
        )


class ColumnsForm(forms.Form):
    """Which column holds what; the choices are the file's columns, named by its first row."""

    date = forms.TypedChoiceField(label=_("Date"), coerce=int)
    description = forms.TypedChoiceField(label=_("Description"), coerce=int)
    credit = forms.TypedChoiceField(
        label=_("Money in"), coerce=int, help_text=_("Empty, zero or negative: not money in.")
    )
    header = forms.BooleanField(
        label=_("The first row names the columns"), required=False, initial=True
    )

    def __init__(self, *args, first_row: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(i), f"{_column_letter(i)}: {name[:40]}" if name else _column_letter(i))
            for i, name in enumerate(first_row)
        ]
        for name in ("date", "description", "credit"):
            self.fields[name].choices = choices


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class LineSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find an order"),
        required=False,
        max_length=100,
        help_text=_("Order code, buyer's name or phone, or the amount it waits for."),
    )


class DismissLineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it pays no order"),
        max_length=MAX_NOTE_LENGTH,
        help_text=_("e.g. a refund from a vendor, your own transfer."),
    )
