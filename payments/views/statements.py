"""The seller's bank statements: upload one, pick the columns of a CSV of another layout,
preview what each line pays, confirm, and see what a confirmed statement did.

Every view takes the shop from `seller_view` and fetches through it: another shop's statement is
a 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from campaigns.models import Role
from campaigns.views.access import seller_view
from payments import selectors
from payments.exceptions import PaymentRefused, StatementRefused
from payments.forms.statements import ColumnsForm, StatementUploadForm
from payments.models import StatementImport
from payments.services.banks import Columns, preview_rows
from payments.services.matching import CATEGORIES
from payments.services.statements import (
    choose_columns,
    confirm_statement,
    preview_statement,
    upload_statement,
)

STATEMENTS_PER_PAGE = 20
LINES_PER_PAGE = 50


def _statement(shop, statement_id) -> StatementImport:
    try:
        return selectors.shop_statement(shop, statement_id)
    except StatementImport.DoesNotExist:
        raise Http404 from None


def _to(name: str, statement: StatementImport):
    return redirect(f"dashboard:{name}", shop_slug=statement.shop.slug, statement_id=statement.pk)


def _list(request, shop, *, form=None, status=200):
    page = Paginator(selectors.shop_statements(shop), STATEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "shop": shop,
        "page": page,
        "form": form or StatementUploadForm(shop=shop),
        "open_lines": selectors.open_lines(shop).count(),
    }
    return render(request, "dashboard/payments/statements.html", context, status=status)


@require_safe
@seller_view(Role.MANAGER)
def statement_list(request, shop):
    return _list(request, shop)


@require_POST
@seller_view(Role.MANAGER)
def statement_upload(request, shop):
    form = StatementUploadForm(request.POST, request.FILES, shop=shop)
    if not form.is_valid():
        return _list(request, shop, form=form, status=400)
    try:
        statement = upload_statement(
            shop=shop,
            layout=form.cleaned_data["layout"],
            account=form.cleaned_data["account"],
            upload=form.cleaned_data["file"],
            actor=request.user,
        )
    except StatementRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else "file", refusal.message)
        return _list(request, shop, form=form, status=400)
    if statement.layout == StatementImport.Layout.CSV:
        return _to("statement_columns", statement)
    return _to("statement", statement)


@seller_view(Role.MANAGER)
def statement_columns(request, shop, statement_id):
    statement = _statement(shop, statement_id)
    if statement.status != StatementImport.Status.DRAFT or statement.layout != "csv":
        return _to("statement", statement)
    rows = preview_rows(statement.text)
    form = ColumnsForm(
        request.POST if request.method == "POST" else None,
        first_row=rows[0],
        # The choices are strings; "header" stays a boolean.
        initial={k: v if isinstance(v, bool) else str(v) for k, v in statement.columns.items()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                choose_columns(statement=statement, columns=Columns(**form.cleaned_data))
            except StatementRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                return _to("statement", statement)
    context = {"shop": shop, "statement": statement, "rows": rows, "form": form}
    return render(request, "dashboard/payments/statement_columns.html", context, status=status)


@require_safe
@seller_view(Role.MANAGER)
def statement_detail(request, shop, statement_id):
    statement = _statement(shop, statement_id)
    if statement.status == StatementImport.Status.CONFIRMED:
        return _result(request, shop, statement)
    if statement.layout == StatementImport.Layout.CSV and not statement.columns:
        return _to("statement_columns", statement)
    return _preview(request, shop, statement)


def _preview(request, shop, statement, *, error: str = "", status: int = 200):
    try:
        preview = preview_statement(statement=statement)
    except StatementRefused as refusal:
        context = {"shop": shop, "statement": statement, "error": refusal.message}
        return render(request, "dashboard/payments/statement_preview.html", context, status=400)
    showing = request.GET.get("show")
    rows = preview.of(showing) if showing in CATEGORIES else preview.rows
    context = {
        "shop": shop,
        "statement": statement,
        "preview": preview,
        "counts": preview.counts,
        "showing": showing if showing in CATEGORIES else "",
        "page": Paginator(rows, LINES_PER_PAGE).get_page(request.GET.get("page")),
        "new_lines": len(preview.rows) - preview.counts["imported"],
        "error": error,
    }
    return render(request, "dashboard/payments/statement_preview.html", context, status=status)


def _result(request, shop, statement):
    page = Paginator(selectors.lines_of(statement), LINES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"shop": shop, "statement": statement, "page": page}
    return render(request, "dashboard/payments/statement_result.html", context)


@require_POST
@seller_view(Role.MANAGER)
def statement_confirm(request, shop, statement_id):
    statement = _statement(shop, statement_id)
    try:
        done = confirm_statement(
            statement=statement, digest=request.POST.get("digest", ""), actor=request.user
        )
    except PaymentRefused as refusal:
        statement.refresh_from_db()
        if statement.status == StatementImport.Status.CONFIRMED:
            messages.error(request, refusal.message)
            return _to("statement", statement)
        return _preview(request, shop, statement, error=refusal.message, status=409)
    text = ngettext(
        "%(count)d payment credited.", "%(count)d payments credited.", done.credited
    ) % {"count": done.credited}
    if done.left_open:
        text += " " + ngettext(
            "%(count)d line is left for you to match or dismiss.",
            "%(count)d lines are left for you to match or dismiss.",
            done.left_open,
        ) % {"count": done.left_open}
    if done.already:
        text += " " + ngettext(
            "%(count)d line was imported before and was skipped.",
            "%(count)d lines were imported before and were skipped.",
            done.already,
        ) % {"count": done.already}
    messages.success(request, text)
    return _to("statement", statement)
