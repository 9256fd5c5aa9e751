"""The roadmap demo: registered with ciodesk.core.demo."""
