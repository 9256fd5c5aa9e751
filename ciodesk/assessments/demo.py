"""The assessments demo: registered with ciodesk.core.demo."""
