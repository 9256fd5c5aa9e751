"""The budget demo: registered with ciodesk.core.demo (filled in by the budget work)."""
