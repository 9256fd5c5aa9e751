"""Figures vendors contribute to the portfolio: renewals and open escalations."""
