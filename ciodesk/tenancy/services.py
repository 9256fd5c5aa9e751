"""Writes that touch several objects or send mail: invitations and their acceptance."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.models import Client, ClientMembership, Invitation

User = get_user_model()


def invite(client: Client, email: str, role: str, invited_by) -> Invitation:
    """Create an invitation valid for INVITATION_VALID_DAYS and e-mail its link."""
    email = email.strip().lower()
    token = Invitation.new_token()
    with scope(client), transaction.atomic():
        if ClientMembership.objects.filter(user__email=email).exists():
            raise ValidationError(f"{email} is already a member of {client}.")
        # Inviting an address again replaces its pending invitation: one live link each.
        for pending in Invitation.objects.filter(
            email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ):
            pending.revoked_at = timezone.now()
            pending.save(update_fields=["revoked_at"])
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            token_hash=Invitation.hash_token(token),
            invited_by=invited_by,
            expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
        )
    link = settings.SITE_URL + reverse("accept-invitation", kwargs={"token": token})
    body = render_to_string(
        "tenancy/email/invitation.txt",
        {
            "client": client,
            "invitation": invitation,
            "link": link,
            "invited_by": invited_by,
            "days": settings.INVITATION_VALID_DAYS,
        },
    )
    send_mail(f"You are invited to {client.name} on ciodesk", body, None, [email])
    return invitation


def find_invitation(token: str) -> Invitation | None:
    # Unscoped on purpose: the token is the only key a visitor holds.
    return (
        Invitation.unscoped.select_related("client")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


def has_account(email: str) -> bool:
    return User.objects.filter(email=email.strip().lower()).exists()


def accept_invitation(invitation: Invitation, full_name: str, password: str | None, user=None):
    """Turn a pending invitation into a membership.

    Without `user` a new account is created for the invited address; an address that
    already has an account must be signed in and passed as `user`, so that holding the
    link never opens someone else's account.
    """
    with scope(invitation.client), transaction.atomic():
        # Locked and read again: of two tabs accepting at once, one wins.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != "pending":
            raise ValidationError(f"This invitation is {invitation.status}.")
        if user is None:
            if has_account(invitation.email):
                raise ValidationError(
                    f"{invitation.email} already has an account: sign in to accept."
                )
            user = User.objects.create_user(
                invitation.email, password=password, full_name=full_name
            )
        elif user.email != invitation.email:
            raise ValidationError(f"This invitation is for {invitation.email}.")
        with acting_as(user):
            ClientMembership.objects.get_or_create(user=user, defaults={"role": invitation.role})
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
    return user


def revoke_invitation(invitation: Invitation) -> None:
    """Close a pending invitation; an accepted one stays accepted (remove the member instead)."""
    if invitation.status != "pending":
        raise ValidationError(f"The invitation for {invitation.email} is {invitation.status}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
