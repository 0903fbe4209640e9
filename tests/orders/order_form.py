"""The campaign page's order form, as a browser sends it."""

import secrets

URL = "/rajut/tote/"


def order_data(campaign, *, quantities=None, notes=None, key=None, **fields) -> dict:
    """What the browser sends for the campaign's order form, one row per variant.

    `quantities` and `notes` are keyed by variant name; by default one Green tote with a note.
    A note may be a list: one per unit, as the page's script shows them.
    """
    variants = list(campaign.variants.all())
    quantities = {variants[0].name: 1} if quantities is None else quantities
    notes = {name: f"{name}, “SARI”" for name in quantities} if notes is None else notes
    data = {
        "lines-TOTAL_FORMS": str(len(variants)),
        "lines-INITIAL_FORMS": str(len(variants)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "buyer_name": "Sari Rahayu",
        "buyer_phone": "0812-3456-7890",
        "buyer_email": "sari@example.com",
        "shipping_address": "Jl. Kenanga 12\nBandung 40115",
        "idempotency_key": key or secrets.token_urlsafe(16),
    }
    for i, variant in enumerate(variants):
        data[f"lines-{i}-variant"] = str(variant.pk)
        data[f"lines-{i}-quantity"] = str(quantities.get(variant.name, 0))
        typed = notes.get(variant.name, "")
        if not isinstance(typed, list):  # the same note on each unit
            typed = [typed] * max(quantities.get(variant.name, 0), 1)
        for unit, note in enumerate(typed):
            data[f"lines-{i}-note_{unit}"] = note
    data.update(fields)
    return data
