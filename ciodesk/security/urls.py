from django.urls import path  # noqa: F401

app_name = "security"

urlpatterns: list = []

# risks and insurance helper: the risk register and cyber-insurance readiness
from django.urls import include  # noqa: E402

urlpatterns += [path("", include("ciodesk.security.urls_risks"))]

# controls helper: the dashboard, controls and evidence, roll-ups
urlpatterns += [path("", include("ciodesk.security.urls_controls"))]
urlpatterns += [path("", include("ciodesk.security.urls_insurance"))]

# questionnaires and incident response helper
urlpatterns += [path("", include("ciodesk.security.urls_questionnaires"))]
urlpatterns += [path("", include("ciodesk.security.urls_ir"))]

# OSCAL helper: the assessment-results export
urlpatterns += [path("", include("ciodesk.security.urls_oscal"))]

# coverage helper: coverage from exports (MFA, EDR against RMM, backups)
urlpatterns += [path("", include("ciodesk.security.urls_coverage"))]
