"""Sentences the app writes down for later (a timeline's entries, a refund's reason), kept as
their words and values rather than as text, so that each reader reads them in their own language
when they read them: the buyer's Indonesian page is Indonesian even if the seller works in English.

    say("Payment of %(amount)s received for the %(kind)s.",
        amount=money(paid, "IDR"), kind=word(Payment.Kind.DEPOSIT.label))

The words are the English source, the catalogue's msgid: our makemessages extracts `say` and
`say_plural` like gettext (kernel/management/commands/makemessages.py). Values stay raw: money,
moments and days are formatted, words translated, at read time. Text people typed (a seller's
reason) is kept `verbatim`. Sentences join with `+`, one after the other.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import migrations, models
from django.utils import translation
from django.utils.translation import gettext, ngettext

from kernel.clock import shop_day, zone_time
from kernel.money import format_money


class Sentence:
    """One or more sentences, rendered in the active language by `str()`."""

    __slots__ = ("parts",)

    def __init__(self, parts: Iterable[dict] = ()):
        self.parts = tuple(parts)

    def __str__(self) -> str:
        return " ".join(text for text in map(_render, self.parts) if text)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __add__(self, other: "Sentence | str") -> "Sentence":
        return Sentence(self.parts + as_sentence(other).parts)

    def __eq__(self, other) -> bool:
        # A sentence equals the text it reads as, so code and tests may compare it with one.
        if isinstance(other, Sentence):
            return self.parts == other.parts
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    __hash__ = None

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __repr__(self) -> str:
        return f"Sentence({list(self.parts)!r})"

    def as_json(self) -> list[dict]:
        return list(self.parts)


def say(text: str, **values) -> Sentence:
    """`text`, an English msgid with %(name)s placeholders, filled with `values` when read."""
    return Sentence([{"say": text, "with": _store(values)}])


def say_plural(singular: str, plural: str, count: int, **values) -> Sentence:
    """As `say`, choosing the reader's plural form for `count` (also given as %(count)d)."""
    values.setdefault("count", count)
    return Sentence([{"say": singular, "plural": plural, "count": count, "with": _store(values)}])


def verbatim(text: str) -> Sentence:
    """Words a person typed: read as written, in every language."""
    return Sentence([{"text": text}] if text else [])


def as_sentence(value: "Sentence | str") -> Sentence:
    return value if isinstance(value, Sentence) else verbatim(value)


def money(amount: Decimal, currency: str) -> dict:
    return {"money": str(amount), "currency": currency}


def moment(when: datetime, zone: str) -> dict:
    """A moment, read in `zone` (the shop's time zone) as every page writes it."""
    return {"moment": when.isoformat(), "zone": zone}


def day(value: date) -> dict:
    return {"day": value.isoformat()}


def word(label, *, lower: bool = False) -> dict:
    """A translatable word or phrase (a choice's label, gettext_lazy), translated when read."""
    with translation.override(None):
        msgid = str(label)
    return {"word": msgid, "lower": lower} if lower else {"word": msgid}


def words(labels) -> dict:
    """Translatable words, read as a list: "price, capacity"."""
    return {"words": [word(label)["word"] for label in labels]}


def _store(values: dict) -> dict:
    return {
        name: value.as_json() if isinstance(value, Sentence) else value
        for name, value in values.items()
    }


def _render(part: dict) -> str:
    if "text" in part:
        return part["text"]
    values = {name: _show(value) for name, value in part["with"].items()}
    if "plural" in part:
        return ngettext(part["say"], part["plural"], part["count"]) % values
    return gettext(part["say"]) % values if values else gettext(part["say"])


def _show(value):
    if isinstance(value, list):  # a sentence inside a sentence: "rejected: <the reason>"
        return str(Sentence(value))
    if not isinstance(value, dict):
        return value
    if "money" in value:
        return format_money(Decimal(value["money"]), value["currency"])
    if "moment" in value:
        return zone_time(datetime.fromisoformat(value["moment"]), value["zone"])
    if "day" in value:
        return shop_day(date.fromisoformat(value["day"]))
    if "words" in value:
        return ", ".join(map(gettext, value["words"]))
    text = gettext(value["word"])
    return text.lower() if value.get("lower") else text


class SentenceField(models.JSONField):
    """A Sentence in a JSON column; plain text given to it is kept verbatim."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", Sentence)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return value if value is None else Sentence(value)

    def to_python(self, value):
        if isinstance(value, list):
            return Sentence(value)
        return as_sentence(value) if isinstance(value, str | Sentence) else value

    def get_prep_value(self, value):
        if isinstance(value, str | Sentence):
            value = as_sentence(value).as_json()
        return super().get_prep_value(value)

    def validate(self, value, model_instance):
        super().validate(self.get_prep_value(value), model_instance)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))


def text_to_sentences(app_label: str, model_name: str, field: str):
    """The RunPython operation of a migration that turns the text column `field` into the
    SentenceField `field`_sentence beside it (then removed and renamed): text written before is
    kept verbatim; going back writes each sentence out in the default language."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        rows = model.objects.exclude(**{field: ""}).only("pk", field)
        for row in rows.iterator(chunk_size=2000):
            setattr(row, f"{field}_sentence", verbatim(getattr(row, field)))
            row.save(update_fields=[f"{field}_sentence"])

    def backward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for row in model.objects.only("pk", f"{field}_sentence").iterator(chunk_size=2000):
            setattr(row, field, str(getattr(row, f"{field}_sentence")))
            row.save(update_fields=[field])

    return migrations.RunPython(forward, backward, elidable=True)
