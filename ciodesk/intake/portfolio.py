"""The intake figures on the portfolio: none.

ciodesk.core.figures shows figures per client (a provider returns one figure per client id);
leads belong to the practice, before there is a client, so they have no row there. The
practice finds new leads at /practice/leads/.
"""
