"""Customer questionnaires and the answer library, under /c/<client_slug>/security/."""

from django.urls import path

from ciodesk.security import views_questionnaires as views
from ciodesk.security.views_questionnaires import ANSWERS, QUESTIONNAIRES

urlpatterns = [
    # list, export, create (the upload), edit, delete, history
    *QUESTIONNAIRES.urls("questionnaires"),
    path("questionnaires/columns/", views.questionnaire_map, name="questionnaire-map"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire-detail"),
    path(
        "questionnaires/<int:pk>/original/",
        views.questionnaire_original,
        name="questionnaire-original",
    ),
    path(
        "questionnaires/<int:pk>/answered/",
        views.questionnaire_download,
        name="questionnaire-download",
    ),
    path(
        "questionnaires/<int:pk>/items/export/",
        views.questionnaire_items_export,
        name="questionnaire-items-export",
    ),
    path(
        "questionnaires/<int:pk>/approve-all/",
        views.questionnaire_approve_all,
        name="questionnaire-approve-all",
    ),
    path(
        "questionnaires/<int:pk>/suggest-again/",
        views.questionnaire_refresh,
        name="questionnaire-refresh",
    ),
    path(
        "questionnaires/items/<int:pk>/approve/",
        views.questionnaire_item_approve,
        name="questionnaire-item-approve",
    ),
    *ANSWERS.urls("questionnaires/library"),
]
