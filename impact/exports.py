"""Report files built in Celery: the figures (CSV, Excel), the records behind a figure, the annual PDF report.

A request writes an `Export` row and enqueues `run_export` on commit; the task records its progress on the
row, so the status page can show it, and stores the file privately for a permission-checked download.
If the broker is down the row stays queued and `restart_stalled_exports` (beat) enqueues it again.
"""

import csv
import io
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission

from .annual_report import annual_report_pdf
from .display import exact, rounded
from .models import Export
from .reporting import BY_KEY, DIMENSIONS, FIGURES, Filters, breakdown, headline, net_impact, records

logger = logging.getLogger(__name__)
Table = tuple[str, list[str], Iterable[list]]  # title, headings, rows
Progress = Callable[[int], None]
Builder = Callable[[dict, Progress], tuple[str, bytes]]  # (params, progress) -> (file name, content)


# --- Requesting --------------------------------------------------------------------------------------
@transaction.atomic
def export_request(*, kind: str, params: dict, by: User) -> Export:
    require(has_permission("contract.pay", by, None))  # staff: the same right as the money records
    if kind not in Export.Kind.values:
        raise DomainError("Choose what to export.")
    if kind in (Export.Kind.RECORDS_CSV, Export.Kind.RECORDS_XLSX) and params.get("figure") not in BY_KEY:
        raise DomainError("Choose the figure whose records to export.")
    export = Export.objects.create(kind=kind, params=params, requested_by=by)
    audit(export, "civtech.export.request", by=by, data={"kind": kind, "params": params})
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(pk: int) -> None:
    try:
        run_export.delay(pk)
    except Exception:  # the broker is down: the beat job retries queued exports
        logger.warning("Could not enqueue export %s; it stays queued", pk, exc_info=True)


@shared_task(name="impact.restart_stalled_exports")
def restart_stalled_exports(older_than_seconds: int = 120) -> int:
    stalled = Export.objects.filter(
        status=Export.Status.QUEUED, requested_at__lt=timezone.now() - timedelta(seconds=older_than_seconds)
    )
    pks = list(stalled.values_list("pk", flat=True))
    for pk in pks:
        _enqueue(pk)
    return len(pks)


# --- Building ------------------------------------------------------------------------------------
@shared_task(name="impact.run_export", bind=True, max_retries=3)
def run_export(self, pk: int) -> str:
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=pk)
        if export.status != Export.Status.QUEUED and not _builder_died(self.request, export):
            return export.status  # already built (or being built) by another delivery of this task
        export.status = Export.Status.RUNNING
        export.save(update_fields=["status"])

    def progress(percent: int) -> None:
        Export.objects.filter(pk=pk).update(progress=max(0, min(100, percent)))

    try:
        filename, content = BUILDERS[export.kind](export.params, progress)
    except Exception as error:  # recorded on the row so the person sees it failed
        logger.exception("Export %s failed", pk)
        Export.objects.filter(pk=pk).update(
            status=Export.Status.FAILED, error=f"The export could not be built ({type(error).__name__}).",
            finished_at=timezone.now(),
        )  # fmt: skip
        return Export.Status.FAILED
    export.file.save(filename, ContentFile(content), save=False)
    Export.objects.filter(pk=pk).update(
        file=export.file.name, filename=filename, status=Export.Status.DONE, progress=100, finished_at=timezone.now()
    )
    return Export.Status.DONE


def _builder_died(request, export: Export) -> bool:
    """Whether this delivery is the broker handing back the task of a worker that died building `export`.

    The broker redelivers a task only when the worker that took it is gone: it held it past the visibility timeout
    (which no live build reaches: the time limit stops it first, and a stopped build is acknowledged), or its pool
    process died and the task was requeued. Left RUNNING by the dead worker, the export would never be built.
    """
    return export.status == Export.Status.RUNNING and bool((request.delivery_info or {}).get("redelivered"))


def _filters(params: dict) -> Filters:
    return Filters(**{k: params.get(k) or None for k in ("round", "year", "sponsor", "region")})


def _figures_tables(params: dict, progress: Progress) -> list[Table]:
    filters = _filters(params)
    figures = headline(filters, public=False)
    tables: list[Table] = [("Headline figures", ["Figure", "Value"], [[f.label, figures[f.key]] for f in FIGURES])]
    for n, (dimension, label) in enumerate(DIMENSIONS.items(), start=1):
        rows = breakdown(dimension, filters, public=False)
        tables.append((f"By {label.lower()}", [label] + [f.label for f in FIGURES],
                       [[r["label"]] + [r[f.key] for f in FIGURES] for r in rows]))  # fmt: skip
        progress(20 * n)
    tables.append(("Net additional impact", ["Measure", "Value"], net_rows(net_impact(figures))))
    return tables


def net_rows(net) -> list[list]:
    """The net impact table of the exports: each figure rounded once, here, from the unrounded calculation (as on
    the page: jobs to 0.1, money to £1, ratios to 0.01); the assumptions and the factor exactly. Blank: not known."""
    a = net.assumptions
    return [
        ["Jobs, gross", net.gross_jobs],
        ["Net additional jobs (to 0.1)", rounded(net.net_jobs, "jobs")],
        ["Net additional investment (£)", rounded(net.net_investment, "money")],
        ["Net additional follow-on contract value (£)", rounded(net.net_follow_on, "money")],
        ["Cost per net additional job (£)", rounded(net.cost_per_net_job, "money")],
        ["Benefit–cost ratio (to 0.01)", rounded(net.benefit_cost_ratio, "ratio")],
        ["Leverage (to 0.01)", rounded(net.leverage, "ratio")],
        ["Net factor applied", Decimal(exact(net.factor))],
        *[[f"{name.capitalize()} (assumption)", Decimal(exact(getattr(a, name)))]
          for name in ("leakage", "displacement", "substitution", "multiplier", "deadweight")],
    ]  # fmt: skip


RECORD_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "challenges": [("Challenge", "title"), ("Round", "round.name"), ("Sponsor", "sponsor.name")],
    "engagements": [("Team", "application.organisation.name"), ("Challenge", "application.challenge.title"),
                    ("Stage", "get_stage_display"), ("Starts", "starts_on"), ("Ends", "ends_on"),
                    ("Contract value (£)", "contract_value")],
    "contracts": [("Contract", "title"), ("Kind", "get_kind_display"), ("Buyer", "buyer"),
                  ("Private buyer", "buyer_name"), ("Supplier", "supplier.name"), ("Value (£)", "current_value"),
                  ("Awarded", "awarded_on"), ("Verified", "verified_at")],
    "payments": [("Contract", "contract.title"), ("Tranche", "number"), ("Amount (£)", "amount"), ("Paid", "paid_on")],
    "returns": [("Company", "organisation.name"), ("Period end", "period_end"), ("Jobs created", "jobs_created"),
                ("Jobs safeguarded", "jobs_safeguarded"), ("Equity (£)", "investment_equity"),
                ("Grants (£)", "investment_grant"), ("Debt (£)", "investment_debt"), ("Verified", "verified_at")],
    "benefits": [("Benefit", "title"), ("Sponsor", "sponsor.name"), ("Kind", "get_kind_display"),
                 ("Amount (£)", "amount"), ("Recurrence", "get_recurrence_display"), ("Years", "years"),
                 ("Status", "get_status_display")],
}  # fmt: skip
RECORD_KIND = {
    "challenges": "challenges", "exploration_teams": "engagements", "accelerator_teams": "engagements",
    "prototype_funding": "contracts", "follow_on_value": "contracts", "prototype_paid": "payments",
    "jobs_created": "returns", "jobs_safeguarded": "returns", "investment": "returns", "savings": "benefits",
}  # fmt: skip
RECORD_RELATED = {
    "challenges": ["round", "sponsor"], "engagements": ["application__organisation", "application__challenge"],
    "contracts": ["buyer", "supplier"], "payments": ["contract"], "returns": ["organisation"], "benefits": ["sponsor"],
}  # fmt: skip


def value_at(obj, path: str):
    """The value at a dotted path, as something a spreadsheet takes: numbers and dates stay, the rest is text."""
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if callable(obj):
            obj = obj()
        if obj is None:
            return ""
    if isinstance(obj, datetime):
        return timezone.localtime(obj).strftime("%Y-%m-%d %H:%M")
    return obj if isinstance(obj, int | float | Decimal | date | str) else str(obj)


def record_rows(key: str, filters: Filters, *, public: bool):
    """(headings, a queryset with what its columns need, the columns) for the records behind a figure."""
    kind = RECORD_KIND[key]
    queryset = records(key, filters, public=public).select_related(*RECORD_RELATED[kind]).order_by("pk")
    return [h for h, _ in RECORD_COLUMNS[kind]], queryset, RECORD_COLUMNS[kind]


def _records_tables(params: dict, progress: Progress) -> list[Table]:
    key = params["figure"]
    headings, queryset, columns = record_rows(key, _filters(params), public=False)
    total = queryset.count() or 1

    def rows():
        for n, record in enumerate(queryset.iterator(chunk_size=2000), start=1):
            if n % 2000 == 0:
                progress(int(95 * n / total))
            yield [value_at(record, path) for _, path in columns]

    return [(f"Records behind: {BY_KEY[key].label}", headings, rows())]


def _csv(tables: list[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for title, headings, rows in tables:
        writer.writerow([title])
        writer.writerow(headings)
        writer.writerows(rows)
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode()  # a BOM so Excel reads the £ sign


def _xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for n, (title, headings, rows) in enumerate(tables, start=1):
        sheet = workbook.create_sheet(title=f"{n} {title}"[:31].replace(":", ""))
        sheet.append(headings)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def _build(tables_for, writer, extension, name):
    def build(params: dict, progress: Progress) -> tuple[str, bytes]:
        content = writer(tables_for(params, progress))
        return f"{name(params)}-{_stamp()}.{extension}", content

    return build


def _annual_pdf(params: dict, progress: Progress) -> tuple[str, bytes]:

    year = params.get("year") or timezone.localdate().year
    return f"civtech-impact-{year}.pdf", annual_report_pdf(year, progress)


BUILDERS: dict[str, Builder] = {
    Export.Kind.FIGURES_CSV: _build(_figures_tables, _csv, "csv", lambda p: "civtech-figures"),
    Export.Kind.FIGURES_XLSX: _build(_figures_tables, _xlsx, "xlsx", lambda p: "civtech-figures"),
    Export.Kind.RECORDS_CSV: _build(_records_tables, _csv, "csv", lambda p: f"civtech-{p['figure']}"),
    Export.Kind.RECORDS_XLSX: _build(_records_tables, _xlsx, "xlsx", lambda p: f"civtech-{p['figure']}"),
    Export.Kind.ANNUAL_PDF: _annual_pdf,
}
