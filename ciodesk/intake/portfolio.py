"""The intake figures on the portfolio: registered with ciodesk.core.figures."""
