"""Section providers, one module per app (see ciodesk.reports.sections).

A module here imports its app at the top: when the app has not landed, importing the
module fails with ModuleNotFoundError and ``sections.load_sources`` leaves it out.
"""
