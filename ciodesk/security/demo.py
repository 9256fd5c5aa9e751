"""The security demo: registered with ciodesk.core.demo (filled in by the security work)."""
