"""The reports demo: registered with ciodesk.core.demo."""
