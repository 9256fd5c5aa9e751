"""The assessments demo's answers: a typical small business, each client's differences, and
Pacific Fabrication's first (worse) assessment a year earlier.

Answers to questions that inform a control follow the client's security demo posture where
the posture says something (in place → Yes or the best choice, partial → Partial or a middle
choice, not in place → No or the worst choice, not assessed → Unknown); numbers, texts and
everything the posture does not cover come from the tables below. A client's own entry
wins over both.
"""

from __future__ import annotations

# Question key → answer ("yes", "partial", "no", "unknown", a choice value, a number, a text).
TYPICAL: dict[str, object] = {
    "roadmap": "no",
    "budget-tracking": "yearly",
    "leadership-review": "yearly",
    "warranty-dates": "partial",
    "unsupported-os": 0,
    "refresh-plan": "no",
    "device-disposal": "partial",
    "unused-licences": 12,
    "leaver-licences": "partial",
    "mfa-email": "partial",
    "mfa-admins": "yes",
    "edr-coverage": 98,
    "edr-response": "business-hours",
    "patch-compliance": 93,
    "dmarc-policy": "quarantine",
    "segmentation": "partial",
    "network-diagram": "no",
    "firewall-rules": "partial",
    "internet-failover": "no",
    "external-sharing": "partial",
    "daily-backup": "yes",
    "restore-test": "year",
    "recovery-targets": "no",
    "backup-monitoring": "yes",
    "continuity-plan": "no",
    "tabletop": "year",
    "offline-contacts": "partial",
    "training-completion": 85,
    "payment-verification": "partial",
    "reporting": "partial",
    "onboarding-security": "yes",
    "breach-clauses": "no",
    "msp-review": "informal",
    "contract-renewals": "partial",
    "cyber-insurance": "yes",
    "attestations": "partial",
    "data-retention": "no",
    "documentation": "partial",
    "support-targets": "no",
    "support-satisfaction": "mixed",
    "old-tickets": 8,
    "change-control": "no",
}

CLIENTS: dict[str, dict[str, object]] = {
    "harbor-cpa": {
        "edr-coverage": 97,
        "patch-compliance": 97,
        "internet-failover": "yes",
        "segmentation": "yes",
        "training-completion": 95,
        "payment-verification": "yes",
        "old-tickets": 4,
        "it-provider": "Coastline Managed IT, under a managed-services agreement since 2019 "
        "(flat monthly fee, help desk and maintenance).",
        "obligations": "The FTC Safeguards Rule and IRS Publication 4557 for tax preparers; "
        "California's privacy law for client records; engagement letters promise "
        "confidentiality.",
        "sensitive-data": "yes",
    },
    "bright-smile": {
        "mfa-admins": "no",
        "edr-coverage": 100,
        "patch-compliance": 91,
        "daily-backup": "partial",
        "backup-monitoring": "partial",
        "restore-test": "never",
        "training-completion": 68,
        "onboarding-security": "partial",
        "obligations-owned": "partial",
        "attestations": "no",
        "old-tickets": 9,
        "it-provider": "Coastline Managed IT, on a per-device monthly plan; the imaging "
        "vendor supports the X-ray software separately.",
        "obligations": "HIPAA (patient records and images); PCI DSS for card payments at the "
        "front desk.",
    },
    "pacific-fab": {
        "mfa-email": "no",
        "mfa-admins": "no",
        "unsupported-os": 2,
        "edr-coverage": 90,
        "edr-response": "nobody",
        "patch-compliance": 82,
        "edge-firmware": "yes",
        "segmentation": "no",
        "internet-failover": "partial",
        "risky-sign-in-alerts": "no",
        "training-completion": 45,
        "payment-verification": "no",
        "supplier-mfa": "no",
        "obligations-owned": "no",
        "attestations": "no",
        "sensitive-data": "partial",
        "old-tickets": 22,
        "support-satisfaction": "dissatisfied",
        "it-provider": "Irvine Tech Partners (managed services, 36-month agreement) and "
        "Kevin Tran, the in-house IT coordinator, for the shop floor.",
        "obligations": "CMMC Level 1 for two defence subcontracts (controlled drawings); "
        "customer quality agreements that ask for security questionnaires.",
    },
}

# Pacific Fabrication a year before its current assessment: before MFA on remote access,
# the immutable backup copy, the password manager and the first training campaign.
PACIFIC_A_YEAR_EARLIER: dict[str, object] = {
    "it-owner": "no",
    "policies": "no",
    "risk-review": "no",
    "leadership-review": "never",
    "budget-tracking": "none",
    "unsupported-os": 6,
    "mfa-remote": "no",
    "legacy-sign-in": "no",
    "admin-accounts": "no",
    "access-review": "never",
    "password-manager": "no",
    "admin-vault": "no",
    "edr-coverage": 71,
    "local-admin": "no",
    "os-patching": "unknown",
    "patch-compliance": 64,
    "exposed-services": "no",
    "dmarc-policy": "missing",
    "spf-dkim": "partial",
    "immutable-copy": "no",
    "restore-test": "never",
    "daily-backup": "partial",
    "log-retention": "unknown",
    "incident-plan": "no",
    "tabletop": "never",
    "training-completion": 0,
    "cyber-insurance": "partial",
    "old-tickets": 41,
}

POSTURE_YES_NO = {
    "in_place": "yes",
    "partial": "partial",
    "not_in_place": "no",
    "not_assessed": "unknown",
}
