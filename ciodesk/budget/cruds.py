"""The budget's plain tables (rules, categories, budgets, budget lines, explanations),
each a core.crud.Crud with the two things budget pages need on top: a new record's form
filled from the address (?pattern=…&category=…), and work to do after a save (rules
re-classify the ledger)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from ciodesk.budget import forms
from ciodesk.budget.fiscal import MONTH_ABBR
from ciodesk.budget.models import Budget, BudgetLine, Category, MatchRule, VarianceNote
from ciodesk.budget.services_matching import apply_rules
from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column


@dataclass
class BudgetCrud(Crud):
    prefill: Sequence[str] = ()  # fields a new record's form may take from the query string
    after_change: Callable[[object], str] | None = None  # returns a message, or ""
    back_to: Callable[[object, object], str] | None = None  # (request, obj) → address

    def _form(self, request, instance=None):
        if request.method != "POST" and instance is None and self.prefill:
            initial = {name: request.GET[name] for name in self.prefill if name in request.GET}
            return self.form_class(initial=initial)
        return super()._form(request, instance)

    def _save(self, request, form, verb: str):
        response = super()._save(request, form, verb)
        self._changed(request)
        if self.back_to is not None:
            return redirect(self.back_to(request, form.instance))
        return response

    def delete_view(self, request, client_slug, pk):
        response = super().delete_view(request, client_slug, pk)
        if request.method == "POST":
            self._changed(request)
        return response

    def _changed(self, request) -> None:
        if self.after_change is not None:
            note = self.after_change(request)
            if note:
                messages.info(request, note)


def _reapply(request) -> str:
    changed = apply_rules()
    return f"The rules were applied again: {changed} line{'s' if changed != 1 else ''} changed."


def _month(value: int | None) -> str:
    return MONTH_ABBR[value] if value else "whole year"


RULES = BudgetCrud(
    model=MatchRule,
    form_class=forms.RuleForm,
    kind="rules",
    title="Matching rules",
    intro="Rules classify ledger lines: a payee, account or memo that matches sets the "
    "vendor and/or the IT category. Lower numbers are tried first. Saving a rule applies "
    "every rule again to the lines not classified by hand.",
    columns=[
        Column("Priority", lambda r: r.priority),
        Column("Looks at", lambda r: r.get_field_display()),
        Column("Rule", lambda r: r.get_match_type_display()),
        Column("Text", lambda r: r.pattern, link=True),
        Column("Vendor", lambda r: r.vendor.name if r.vendor else ""),
        Column("Category", lambda r: r.category.name if r.category else ""),
        Column("Owner", lambda r: r.owner.name),
    ],
    search_fields=["pattern"],
    queryset=lambda: MatchRule.objects.select_related("vendor", "category", "owner"),
    empty_text="No rules yet. Classify a line in the queue and save a rule from it, or add "
    "one here (for example: account contains “Software” → SaaS).",
    namespace="budget",
    prefill=("field", "match_type", "pattern", "vendor", "category", "owner"),
    after_change=_reapply,
)

CATEGORIES = BudgetCrud(
    model=Category,
    form_class=forms.CategoryForm,
    kind="categories",
    title="Spend categories",
    intro="The IT categories spend is counted in. “Not IT spend” takes lines of a general "
    "ledger that are not IT (payroll, rent) out of the queue without counting them.",
    columns=[
        Column("Order", lambda c: c.order),
        Column("Category", lambda c: c.name, link=True),
        Column("Slug", lambda c: c.slug),
        Column("Counts as IT spend", lambda c: c.is_spend),
    ],
    search_fields=["name", "slug"],
    empty_text="No categories yet: they are created with the first import or budget.",
    namespace="budget",
)

BUDGETS = BudgetCrud(
    model=Budget,
    form_class=forms.BudgetForm,
    kind="budgets",
    title="Budgets",
    intro="One budget per fiscal year, named by the year in which the fiscal year ends.",
    columns=[
        Column("Fiscal year", lambda b: f"FY{b.fiscal_year}", link=True),
        Column("Owner", lambda b: b.owner.name),
        Column("Notes", lambda b: b.notes),
    ],
    queryset=lambda: Budget.objects.select_related("owner"),
    empty_text="No budget yet. Set this year's amounts on the budget page.",
    namespace="budget",
    back_to=lambda request, obj: (
        reverse("budget:budget-year", kwargs={"client_slug": request.client.slug})
        + f"?fy={obj.fiscal_year}"
    ),
)

BUDGET_LINES = BudgetCrud(
    model=BudgetLine,
    form_class=forms.BudgetLineForm,
    kind="budget-lines",
    title="Budget lines",
    intro="Amounts per category, and per vendor where wanted. A line without a month is "
    "spread evenly over the fiscal year; lines for the same category add up.",
    columns=[
        Column("Fiscal year", lambda b: f"FY{b.budget.fiscal_year}"),
        Column("Category", lambda b: b.category.name, link=True),
        Column("Vendor", lambda b: b.vendor.name if b.vendor else ""),
        Column("Month", lambda b: _month(b.month)),
        Column("Amount", lambda b: b.amount),
        Column("Currency", lambda b: b.currency),
        Column("Notes", lambda b: b.notes),
    ],
    search_fields=["category__name", "vendor__name", "notes"],
    queryset=lambda: BudgetLine.objects.select_related("budget", "category", "vendor").order_by(
        "-budget__fiscal_year", "category__order", "month", "pk"
    ),
    empty_text="No budget lines yet.",
    namespace="budget",
    prefill=("budget", "category", "vendor", "month"),
)

NOTES = BudgetCrud(
    model=VarianceNote,
    form_class=forms.VarianceNoteForm,
    kind="variance-notes",
    title="Variance explanations",
    intro="Why spend differs from the budget, in plain words, for a month or the year.",
    columns=[
        Column("Fiscal year", lambda n: f"FY{n.fiscal_year}"),
        Column("Month", lambda n: _month(n.month)),
        Column("Category", lambda n: n.category.name if n.category else "whole budget"),
        Column("Explanation", lambda n: n.explanation, link=True),
        Column("Author", lambda n: n.author.name),
    ],
    search_fields=["explanation"],
    queryset=lambda: VarianceNote.objects.select_related("category", "author"),
    empty_text="No explanations yet. Add one from the budget page where spend is off plan.",
    namespace="budget",
    prefill=("fiscal_year", "month", "category", "author"),
    back_to=lambda request, obj: (
        reverse("budget:budget-year", kwargs={"client_slug": request.client.slug})
        + f"?fy={obj.fiscal_year}"
    ),
)
