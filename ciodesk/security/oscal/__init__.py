"""OSCAL in and out.

* ``catalog_parse`` reads an OSCAL catalog (JSON or XML) without touching the database;
* ``catalog_import`` stores it as a reference framework with its official text
  (``import_catalog``, ``ensure_csf``, ``official_items``);
* ``assessment_results`` writes a client's control state as an OSCAL assessment-results
  document; ``schema`` validates such a document against NIST's published JSON schema.

Import from the modules themselves; this package imports nothing so that loading it never
touches the models before Django is ready.
"""
