"""The budget's addresses under /c/<client_slug>/budget/.

Spend, rules, the queue, imports and budget vs actual are declared here; licences,
lifecycle, forecast and value have their own URL modules, included at the end.
"""

from django.urls import include, path

from ciodesk.budget import views_budget, views_imports, views_spend
from ciodesk.budget.cruds import BUDGET_LINES, BUDGETS, CATEGORIES, NOTES, RULES

app_name = "budget"

urlpatterns: list = [
    path("", views_budget.overview, name="overview"),
    path("year/", views_budget.budget_year, name="budget-year"),
    path("year/export/", views_budget.budget_year_export, name="budget-year-export"),
    path("year/plan/", views_budget.budget_plan, name="budget-plan"),
    path("spend/", views_spend.spend_list, name="spend-list"),
    path("spend/export/", views_spend.spend_export, name="spend-export"),
    path("spend/<int:pk>/classify/", views_spend.spend_classify, name="spend-classify"),
    path("queue/", views_spend.queue, name="queue"),
    path("queue/export/", views_spend.queue_export, name="queue-export"),
    path("rules/apply/", views_spend.rules_apply, name="rules-apply"),
    path("imports/", views_imports.spend_imports, name="spend-imports"),
    path("imports/export/", views_imports.spend_imports_export, name="spend-imports-export"),
    path("imports/new/", views_imports.spend_import, name="spend-import"),
    path("imports/<int:pk>/", views_imports.spend_import_status, name="spend-import-status"),
    path("imports/<int:pk>/file/", views_imports.spend_import_file, name="spend-import-file"),
    *RULES.urls(),
    *CATEGORIES.urls(),
    *BUDGETS.urls(),
    *BUDGET_LINES.urls(),
    *NOTES.urls(),
]

# Licences and hardware lifecycle (their own URL modules).
urlpatterns += [
    path("", include("ciodesk.budget.urls_licences")),
    path("", include("ciodesk.budget.urls_lifecycle")),
]

# Spend vs value and the forecast (their own URL modules).
urlpatterns += [
    path("", include("ciodesk.budget.urls_value")),
    path("", include("ciodesk.budget.urls_forecast")),
]
