"""Demo vendors, contracts, SLA policies, tickets, reviews and escalations."""
