"""The roadmap figures on the portfolio: registered with ciodesk.core.figures."""
