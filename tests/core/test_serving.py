"""Where the lab listens: this machine only unless told; a class on the network only with a key
that can protect it; HTTPS when given a certificate and its key."""
from __future__ import annotations

import pytest

from core.runs import people
from core.runs.serving import ServeRefused, server_args


def test_the_one_person_lab_serves_this_machine_only():
    assert server_args("local", {}) == (["--server.address", "127.0.0.1"], [])


def test_a_class_on_the_network_needs_a_key(monkeypatch):
    with pytest.raises(ServeRefused, match="needs accounts or an instructor key"):
        server_args("class", {})
    monkeypatch.setenv(people.KEY_ENV, "too-short")
    for mode in ("local", "class"):  # a short key stops the lab whichever way it is served
        with pytest.raises(ServeRefused, match="at least 12"):
            server_args(mode, {})


def test_a_class_listens_on_every_interface_and_warns_of_clear_text(a_class):
    flags, notes = server_args("class", {})
    assert flags == ["--server.address", "0.0.0.0"] and "clear text" in notes[0]
    flags, _ = server_args("class", {"SEQLAB_ADDRESS": "10.1.2.3"})
    assert flags == ["--server.address", "10.1.2.3"]


def test_https_needs_both_files_and_they_must_exist(a_class, tmp_path):
    cert, key = tmp_path / "lab.pem", tmp_path / "lab.key"
    with pytest.raises(ServeRefused, match="needs both"):
        server_args("class", {"SEQLAB_CERT": str(cert)})
    with pytest.raises(ServeRefused, match="not a readable file"):
        server_args("class", {"SEQLAB_CERT": str(cert), "SEQLAB_CERT_KEY": str(key)})
    cert.write_text("x")
    key.write_text("x")
    flags, notes = server_args("class", {"SEQLAB_CERT": str(cert), "SEQLAB_CERT_KEY": str(key)})
    assert flags[-4:] == ["--server.sslCertFile", str(cert), "--server.sslKeyFile", str(key)]
    assert notes == []


def test_a_class_with_accounts_needs_no_key_but_needs_its_instructors(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nclient_id = "lab"\n')
    env = {people.SECRETS_ENV: str(secrets)}
    monkeypatch.setenv(people.SECRETS_ENV, str(secrets))
    with pytest.raises(ServeRefused, match="no instructor is"):
        server_args("class", env)
    secrets.write_text('[auth]\nclient_id = "lab"\n[seqlab]\ninstructors = ["T@Uni.edu"]\n')
    flags, _ = server_args("class", env)
    assert flags == ["--server.address", "0.0.0.0", "--secrets.files", str(secrets)]
