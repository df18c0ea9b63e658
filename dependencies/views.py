"""Web pages of the dependency map (thin: selectors read, services write)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dependencies import indexing, selectors, services, tabular
from dependencies.choices import LicenceModel, Strategy
from dependencies.exposure import LAW_LABELS
from dependencies.forms import ImportForm, SharingForm, StrategyForm
from dependencies.models import Component
from nis2 import spreadsheets
from nis2.charts import heat_map, to_svg
from nis2.roles import Resource
from nis2.web import paginate, readable_organisation, require_write, user_can_write

SORTS = {
    "score": lambda item: -item.score.score,
    "name": lambda item: item.component.name.casefold(),
    "cost": lambda item: -item.component.annual_cost_eur,
    "contract": lambda item: str(item.component.contract_end or "9999"),
    "domain": lambda item: (item.component.domain.code, item.component.name.casefold()),
}


@login_required
def dependency_map(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Domains × exposure heat map, with the index and the decision windows."""
    organisation = readable_organisation(request.user, organisation_id)
    today = timezone.localdate()
    scored = selectors.scored(
        selectors.organisation_components(user=request.user, organisation=organisation), today=today
    )
    records = selectors.records(scored)
    domains = list(selectors.domain_list())
    counts = {(domain.code, level): 0 for domain in domains for level in range(5)}
    for item in scored:
        counts[(item.component.domain.code, item.exposure)] += 1
    chart = to_svg(
        heat_map(
            [f"{domain.code} {domain.name}" for domain in domains],
            [f"E{level}" for level in range(5)],
            [[counts[(domain.code, level)] or None for level in range(5)] for domain in domains],
            value_max=max(counts.values(), default=1) or 1,
        ),
        title=_("Components by domain and exposure"),
    )
    by_domain = indexing.index_by_domain(records)
    return render(
        request,
        "dependencies/map.html",
        {
            "organisation": organisation,
            "chart": chart,
            "overall": indexing.index(records),
            "rows": [
                (domain, by_domain.get(domain.code), [counts[(domain.code, level)] for level in range(5)])
                for domain in domains
            ],
            "windows": [
                (record, Strategy(record.strategy).label if record.strategy else "")
                for record in indexing.decision_windows(records, today=today)
            ],
            "can_write": user_can_write(request.user, organisation, Resource.DEPENDENCY),
            "sharing": selectors.sharing_of(organisation),
            "sharing_form": SharingForm(),
            "shared_children": selectors.shared_children_count(organisation),
        },
    )


@login_required
def component_list(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    domain, exposure, strategy = (
        request.GET.get("domain", ""),
        request.GET.get("exposure", ""),
        request.GET.get("strategy", ""),
    )
    components = selectors.organisation_components(
        user=request.user, organisation=organisation, domain_code=domain, strategy=strategy
    )
    scored = selectors.scored(components, today=timezone.localdate())
    if exposure.isdigit():
        scored = [item for item in scored if item.exposure == int(exposure)]
    sort = request.GET.get("sort", "score")
    scored.sort(key=SORTS.get(sort, SORTS["score"]))
    page_obj = paginate(request, scored)
    return render(
        request,
        "dependencies/component_list.html",
        {
            "organisation": organisation,
            "items": page_obj,
            "page_obj": page_obj,
            "domains": selectors.domain_list(),
            "sort": sort,
            "domain": domain,
            "exposure": exposure,
            "strategy": strategy,
            "strategies": Strategy.choices,
        },
    )


@login_required
def component_detail(request: HttpRequest, organisation_id: int, component_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    component = get_object_or_404(
        selectors.organisation_components(user=request.user, organisation=organisation), pk=component_id
    )
    can_write = user_can_write(request.user, organisation, Resource.DEPENDENCY)
    # The form sets what it cleans on its instance: a copy keeps the page's component as stored.
    form = StrategyForm(request.POST or None, instance=copy.copy(component))
    if request.method == "POST":
        actor = require_write(request, organisation, Resource.DEPENDENCY)
        if form.is_valid():
            try:
                services.component_update(component=component, actor=actor, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Strategy saved."))
                return redirect("component-detail-page", organisation.pk, component.pk)
    chains = selectors.EntityChains.for_components([component])
    item = selectors.score_component(component, chains, today=timezone.localdate())
    parties = [
        (_("Publisher"), component.product.publisher_id),
        (_("Operator"), component.operator_id),
        (_("Hosting provider"), component.hosting_provider_id),
    ]
    return render(
        request,
        "dependencies/component_detail.html",
        {
            "organisation": organisation,
            "component": component,
            "item": item,
            "form": form,
            "can_write": can_write,
            "chains": [(role, chains.chain(entity_id)) for role, entity_id in parties if entity_id],
            "laws": [LAW_LABELS[law] for law in item.derived_exposure.laws],
            "alternatives": component.product.alternatives.all(),
            "lock_in_factors": lock_in_factors(component),
        },
    )


def lock_in_factors(component: Component) -> list[tuple[str, bool]]:
    """Each lock-in factor as the component stands, worded for its state: (sentence, unfavourable)."""
    factors = [
        (component.full_export_open_formats, _("Full export in open formats"), _("No full export in open formats")),
        (component.open_standards_apis, _("Open interfaces and standards"), _("Proprietary interfaces or standards")),
        (
            component.alternative_exists,
            _("A European or open-source alternative exists"),
            _("No European or open-source alternative"),
        ),
        (
            component.dependent_components < 3,
            _("Fewer than three components depend on it"),
            _("Three or more components depend on it"),
        ),
        (
            component.reversibility,
            _("Reversibility clause or tested exit plan"),
            _("No reversibility clause or tested exit plan"),
        ),
    ]
    return [(favourable if ok else unfavourable, not ok) for ok, favourable, unfavourable in factors]


@login_required
def alternatives(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    products = selectors.products_with_alternatives(user=request.user)
    return render(
        request,
        "dependencies/alternatives.html",
        {
            "organisation": organisation,
            "products": products,
            "open_models": (LicenceModel.OPEN_SOURCE, LicenceModel.PUBLIC_COMMONS),
        },
    )


@login_required
def import_components(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    actor = require_write(request, organisation, Resource.DEPENDENCY)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, report = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.components_import(
                organisation=organisation,
                actor=actor,
                content=upload.read(tabular.MAX_BYTES + 1),  # enough to tell the file is too large
                filename=upload.name,
            )
        except tabular.FileRejected as rejected:
            errors = rejected.errors
    return render(
        request,
        "dependencies/import.html",
        {
            "organisation": organisation,
            "form": form,
            "errors": errors,
            "report": report,
            "columns": tabular.COLUMNS,
            "required": tabular.REQUIRED,
        },
    )


@login_required
def template(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The empty import file (header only), to fill in."""
    readable_organisation(request.user, organisation_id)
    return spreadsheets.attachment(tabular.write_csv([]), file_format="csv", name="rempart-components-template")


@login_required
@require_POST
def sharing(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    actor = require_write(request, organisation, Resource.DEPENDENCY)
    form = SharingForm(request.POST)
    form.is_valid()
    services.sharing_set(
        organisation=organisation,
        share_with_parent=form.cleaned_data.get("share_with_parent", False),
        actor=actor,
    )
    messages.success(request, _("Sharing preference saved."))
    return redirect("dependency-map", organisation.pk)
