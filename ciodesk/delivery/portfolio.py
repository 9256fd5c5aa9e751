"""The delivery figures on the portfolio: registered with ciodesk.core.figures."""
