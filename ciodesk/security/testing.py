"""One of each security record for the URL sweep and the canary crawl (called by conftest)."""


def make_security_records(client, person, text: str = "") -> dict:
    """One of each security record for `client`, every text field carrying `text`.

    Keys are free-form; every model whose pk appears in a URL needs one object here.
    """
    return {}
