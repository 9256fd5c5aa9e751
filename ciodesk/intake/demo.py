"""The intake demo: registered with ciodesk.core.demo."""
