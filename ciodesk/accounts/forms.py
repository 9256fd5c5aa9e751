from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation


class LoginForm(forms.Form):
    email = forms.EmailField(
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(max_length=200, label="Your name")
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="The same password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, needs_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        if not needs_password:
            for name in ("full_name", "password1", "password2"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if "password1" in self.fields:
            p1, p2 = data.get("password1"), data.get("password2")
            if p1 and p2 and p1 != p2:
                self.add_error("password2", "The two passwords differ.")
            elif p1:
                from ciodesk.accounts.models import User

                try:
                    password_validation.validate_password(
                        p1, User(email=self.email, full_name=data.get("full_name", ""))
                    )
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return data
