"""The assessments figures on the portfolio: registered with ciodesk.core.figures."""
