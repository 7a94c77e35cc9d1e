"""The lab as ./lab starts it: this machine only by default; `./lab class` refuses without an
instructor key, and with one serves HTTPS with a certificate the test makes."""
from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
import urllib.request
from contextlib import contextmanager

import pytest

from core.runs import people
from dashboard.registry import ROOT
from tests.browser.conftest import _free_port

psutil = pytest.importorskip("psutil")
pytestmark = [pytest.mark.xdist_group("serving"),
              pytest.mark.skipif(not shutil.which("openssl"), reason="openssl absent")]
KEY = "serving-test-key-of-the-class"


@contextmanager
def lab(command: list[str], env: dict[str, str], tmp_path):
    """``./lab …`` on a free port over an empty run store; yields (process, port)."""
    port = _free_port()
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(["./lab", *command], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "SEQLAB_PORT": str(port),
                                 "SEQLAB_RUNS_DIR": str(tmp_path / "runs"), **env})
    try:
        yield proc, port
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def healthy(url: str, context=None, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(url + "/_stcore/health", timeout=2,
                                          context=context).status == 200
        except (OSError, ssl.SSLError):
            time.sleep(0.25)
    return False


def test_the_lab_listens_on_this_machine_only(tmp_path, monkeypatch):
    monkeypatch.delenv(people.KEY_ENV, raising=False)
    with lab([], {}, tmp_path) as (proc, port):
        assert healthy(f"http://127.0.0.1:{port}")
        listening = {c.laddr.ip for c in psutil.Process(proc.pid).net_connections("inet")
                     if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
        assert listening == {"127.0.0.1"}, listening


def test_a_class_on_the_network_without_a_key_does_not_start(tmp_path):
    out = subprocess.run(["./lab", "class"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, people.KEY_ENV: "",
                                           "SEQLAB_RUNS_DIR": str(tmp_path / "runs")})
    assert out.returncode == 2 and "needs accounts or an instructor key" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_a_class_is_served_over_https_with_the_instructors_certificate(tmp_path):
    cert, key = tmp_path / "lab.pem", tmp_path / "lab.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    env = {people.KEY_ENV: KEY, "SEQLAB_ADDRESS": "127.0.0.1",  # loopback only, in a test
           "SEQLAB_CERT": str(cert), "SEQLAB_CERT_KEY": str(key)}
    with lab(["class"], env, tmp_path) as (proc, port):
        trusting = ssl.create_default_context(cafile=str(cert))
        assert healthy(f"https://127.0.0.1:{port}", trusting)
        with pytest.raises(OSError):  # no plain HTTP beside it
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5)
        with pytest.raises(OSError):  # and a client that does not trust the certificate stops
            urllib.request.urlopen(f"https://127.0.0.1:{port}/_stcore/health", timeout=5)
    assert "Serving the class on the network: students open https://" in (
        tmp_path / "lab.log").read_text()
