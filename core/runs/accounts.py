"""A class whose people sign in with the institution's accounts (OpenID Connect, through
Streamlit's ``st.login``, configured under ``[auth]`` in the secrets file): who its instructors
are, who may join, and the person an account is."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from core.runs.identity import NotAllowed, Person, lab_secrets

INSTRUCTORS_ENV, STUDENTS_ENV = "SEQLAB_INSTRUCTORS", "SEQLAB_STUDENTS"  # comma-separated


@dataclass(frozen=True)
class Accounts:
    """A class whose people sign in with the institution's accounts (OpenID Connect, through
    Streamlit's ``st.login``): who its instructors are, and who may join as a student."""

    instructors: tuple[str, ...]  # e-mail addresses, lower-case
    students: tuple[str, ...] = ()  # addresses, or "@domain" rules; empty: any account the
    # provider signs in (a university's provider signs in only its own people)

    def role(self, email: str) -> str | None:
        """'instructor', 'student', or None (this account may not join)."""
        email = email.strip().lower()
        if email in self.instructors:
            return "instructor"
        if not self.students or any(email == rule or (rule.startswith("@") and
                                                      email.endswith(rule))
                                    for rule in self.students):
            return "student"
        return None


def _listed(env: str, configured) -> tuple[str, ...]:
    raw = os.environ.get(env, "").strip()
    items = raw.split(",") if raw else (configured if isinstance(configured, list) else [])
    return tuple(str(item).strip().lower() for item in items if str(item).strip())


def accounts() -> Accounts | None:
    """The class's accounts when the secrets file has Streamlit's ``[auth]`` section (the
    provider), else None. Instructors and students come from ``$SEQLAB_INSTRUCTORS`` and
    ``$SEQLAB_STUDENTS`` (comma-separated), else ``instructors`` and ``students`` under
    ``[seqlab]`` in the secrets file."""
    found = lab_secrets()
    if not isinstance(found.get("auth"), dict):
        return None
    lab = found.get("seqlab") if isinstance(found.get("seqlab"), dict) else {}
    return Accounts(_listed(INSTRUCTORS_ENV, lab.get("instructors")),
                    _listed(STUDENTS_ENV, lab.get("students")))


def from_account(claims, accounts_: Accounts) -> Person:
    """The person an OpenID Connect sign-in names (``claims``: the ID token's, as ``st.user``
    holds them): an id derived from the provider and the account's subject, the account's
    name, and the instructor if its e-mail address is listed; :class:`NotAllowed` for an
    account the class does not admit, or one without a verified address."""
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise NotAllowed("this account has no e-mail address, which the lab needs to know who "
                         "you are: sign in with your institution's account")
    if claims.get("email_verified") is False:
        raise NotAllowed(f"{email} is not verified by the provider")
    role = accounts_.role(email)
    if role is None:
        raise NotAllowed(f"{email} is not in this class ({', '.join(accounts_.students)} "
                         "may join): sign out and sign in with your institution's account")
    subject = f"{claims.get('iss', '')}|{claims.get('sub') or email}"
    name = " ".join(str(claims.get("name") or email.split("@")[0]).split())[:40]
    return Person("acct-" + hashlib.sha256(subject.encode("utf-8")).hexdigest()[:40], name,
                  instructor=role == "instructor")


