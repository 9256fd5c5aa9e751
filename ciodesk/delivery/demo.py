"""The delivery demo: registered with ciodesk.core.demo."""
