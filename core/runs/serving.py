"""Where the lab listens, and whether it may: this machine only by default; a class on the
network only with an instructor key that can protect it, and over HTTPS when given a certificate.

``./lab`` asks :func:`server_args` (through ``python -m core serve``) for Streamlit's flags:

- ``local`` (``./lab``): ``127.0.0.1``, this machine only: the one-person lab.
- ``class`` (``./lab class``): every interface (or ``$SEQLAB_ADDRESS``), refused unless the
  class signs people in with accounts (``[auth]`` in the secrets file, with instructors
  listed) or an instructor key of at least ``people.MIN_KEY_LENGTH`` characters is set; with
  ``$SEQLAB_CERT`` and ``$SEQLAB_CERT_KEY`` (PEM files), Streamlit serves HTTPS itself
  (``server.sslCertFile`` / ``server.sslKeyFile``). Without them the key and the lab's cookie
  cross the network in clear text, which :func:`server_args` says in its notes.
"""
from __future__ import annotations

import os
from pathlib import Path

from core.runs import people

MODES = ("local", "class")
ADDRESS_ENV = "SEQLAB_ADDRESS"  # where a class's lab listens (default: every interface)
CERT_ENV, CERT_KEY_ENV = "SEQLAB_CERT", "SEQLAB_CERT_KEY"  # PEM certificate and its key


class ServeRefused(Exception):
    """The lab will not start this way; the message says why and what to do."""


def server_args(mode: str, env: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """(Streamlit's command-line flags, notes for whoever starts the lab) for ``mode``
    ('local' or 'class'); :class:`ServeRefused` when the lab must not start so."""
    env = os.environ if env is None else env
    if mode not in MODES:
        raise ServeRefused(f"mode must be one of {MODES}, got {mode!r}")
    problem = people.class_problem()
    if problem:
        raise ServeRefused(problem)
    secrets = env.get(people.SECRETS_ENV, "").strip()
    shared = ["--secrets.files", secrets] if secrets else []  # Streamlit reads the lab's file
    if mode == "local":
        return ["--server.address", "127.0.0.1", *shared], []
    if not people.is_class():
        raise ServeRefused(
            "a lab on the network needs accounts or an instructor key: without either, everyone "
            "who can reach it may delete runs and start training. Configure the institution's "
            "sign-in ([auth] in the secrets file, docs/serving.md) or set "
            f"${people.KEY_ENV} (at least {people.MIN_KEY_LENGTH} characters).")
    args = ["--server.address", env.get(ADDRESS_ENV, "").strip() or "0.0.0.0", *shared]
    cert, key = env.get(CERT_ENV, "").strip(), env.get(CERT_KEY_ENV, "").strip()
    if bool(cert) != bool(key):
        raise ServeRefused(f"HTTPS needs both ${CERT_ENV} (the certificate) and ${CERT_KEY_ENV} "
                           "(its private key), as PEM files")
    if not cert:
        return args, ["No certificate given: the instructor key and the lab's cookie cross the "
                      f"network in clear text. Set ${CERT_ENV} and ${CERT_KEY_ENV}, or serve "
                      "the lab behind a proxy that speaks HTTPS (docs/serving.md)."]
    for name, path in ((CERT_ENV, cert), (CERT_KEY_ENV, key)):
        if not Path(path).is_file():
            raise ServeRefused(f"${name} names {path}, which is not a readable file")
    return [*args, "--server.sslCertFile", cert, "--server.sslKeyFile", key], []
