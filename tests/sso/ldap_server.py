"""A real OpenLDAP server on loopback for the LDAP tests: slapd from Debian's package, with its
whole configuration, database, certificates and pid file in a temporary folder (no system
configuration is read or touched).

`running_directory(folder)` writes a slapd.conf (mdb backend, suffix dc=example,dc=org, the
core/cosine/nis/inetorgperson schemas from /etc/ldap/schema), a self-signed CA and a server
certificate for 127.0.0.1 made with openssl, loads tests/sso/directory.ldif with slapadd, and
starts slapd on two free ports: ldap:// (StartTLS offered, and required: "security tls=1")
and ldaps://, with the memberof overlay keeping memberOf on each person as groups change. It
waits until the server answers a bind and stops it after. Without slapd the tests are skipped,
and say how to install it; with REQUIRE_LDAP=1 (set by .ci/run) that is an error instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LDIF = HERE / "directory.ldif"
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
SUFFIX = "dc=example,dc=org"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret-for-tests"
SERVICE_DN = f"cn=quiz-reader,ou=services,{SUFFIX}"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
PASSWORDS = {  # the SSHA hashes of these are in directory.ldif
    "alice": "alice-ward-pass-1",
    "bob": "bob-educator-pass-2",
    "carol": "carol-manager-pass-3",
    SERVICE_DN: "service-account-pass",
}


def user_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


def tool(name: str) -> str | None:
    """slapd and slapadd live in /usr/sbin, which is not on every PATH."""
    found = shutil.which(name) or f"/usr/sbin/{name}"
    return found if os.access(found, os.X_OK) else None


def skip_without_slapd() -> None:
    """Skip (or, with REQUIRE_LDAP=1, fail) when slapd or slapadd is missing."""
    if tool("slapd") and tool("slapadd"):
        return
    message = "LDAP tests skipped: slapd is not installed (apt-get install slapd ldap-utils)"
    if os.environ.get("REQUIRE_LDAP"):
        pytest.fail(message + "; REQUIRE_LDAP=1 makes that an error", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Directory:
    host: str
    port: int  # ldap:// with StartTLS offered
    tls_port: int  # ldaps://
    ca_file: str
    folder: Path

    @property
    def url(self) -> str:
        return f"ldap://{self.host}:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://{self.host}:{self.tls_port}"

    def admin(self):  # type: ignore[no-untyped-def]
        """A connection bound as the directory's root (over ldaps), to change entries."""
        return _root_connection(self.host, self.tls_port, self.ca_file)

    def refresh_member_of(self) -> None:
        """Write each group's members again, so the memberof overlay sets memberOf on them
        (the entries slapadd loaded have none)."""
        import ldap3

        with self.admin() as conn:
            conn.search(GROUPS, "(objectClass=groupOfNames)", attributes=["member"])
            groups = [(e.entry_dn, list(e.member.values)) for e in conn.entries]
            for dn, members in groups:
                conn.modify(dn, {"member": [(ldap3.MODIFY_REPLACE, members)]})
                assert conn.result["result"] == 0, conn.result

    def remove_from_group(self, uid: str, group: str) -> None:
        import ldap3

        with self.admin() as conn:
            conn.modify(group_dn(group), {"member": [(ldap3.MODIFY_DELETE, [user_dn(uid)])]})
            assert conn.result["result"] == 0, conn.result

    def add_to_group(self, uid: str, group: str) -> None:
        import ldap3

        with self.admin() as conn:
            conn.modify(group_dn(group), {"member": [(ldap3.MODIFY_ADD, [user_dn(uid)])]})
            assert conn.result["result"] == 0, conn.result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(*args: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")


def make_certificates(folder: Path) -> None:
    """A throw-away CA and a server certificate for 127.0.0.1 / localhost signed by it."""
    ca_key, ca_pem = folder / "ca.key", folder / "ca.pem"
    key, csr, pem = folder / "server.key", folder / "server.csr", folder / "server.pem"
    ext = folder / "server.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n", encoding="utf-8")
    _run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", str(ca_key), "-out", str(ca_pem), "-subj", "/CN=Test Hospital CA",
    )  # fmt: skip
    _run(
        "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
        "-out", str(csr), "-subj", "/CN=127.0.0.1",
    )  # fmt: skip
    _run(
        "openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca_pem), "-CAkey", str(ca_key),
        "-CAcreateserial", "-days", "2", "-out", str(pem), "-extfile", str(ext),
    )  # fmt: skip


def write_config(folder: Path) -> Path:
    (folder / "db").mkdir()
    schemas = "".join(
        f"include {SCHEMAS / name}.schema\n" for name in ("core", "cosine", "nis", "inetorgperson")
    )
    conf = folder / "slapd.conf"
    conf.write_text(
        f"""{schemas}
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
modulepath {MODULES}
moduleload back_mdb
moduleload memberof
TLSCACertificateFile {folder}/ca.pem
TLSCertificateFile {folder}/server.pem
TLSCertificateKeyFile {folder}/server.key

database mdb
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {folder}/db
maxsize 10485760
# memberOf on each person, kept by the server as groups change (Active Directory's way);
# slapadd does not run overlays, so start-up rewrites each group's members once
overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint TRUE
# every operation needs TLS (ldaps:// or StartTLS): a client that skips StartTLS is refused
security tls=1
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by anonymous auth
""",
        encoding="utf-8",
    )
    return conf


def _root_connection(host: str, port: int, ca_file: str, timeout: float = 5):  # type: ignore[no-untyped-def]
    import ssl

    import ldap3

    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca_file)
    server = ldap3.Server(host, port=port, use_ssl=True, tls=tls, connect_timeout=timeout)
    return ldap3.Connection(server, ROOT_DN, ROOT_PASSWORD, auto_bind=True)


def _answers(host: str, port: int, ca_file: str) -> bool:
    try:
        with _root_connection(host, port, ca_file, timeout=1):
            return True
    except Exception:  # not up yet
        return False


@contextmanager
def running_directory(folder: Path) -> Iterator[Directory]:
    """slapd serving the test directory from `folder`, stopped (and waited for) after."""
    skip_without_slapd()
    slapd, slapadd = tool("slapd"), tool("slapadd")
    assert slapd and slapadd
    folder.mkdir(parents=True, exist_ok=True)
    make_certificates(folder)
    conf = write_config(folder)
    _run(slapadd, "-f", str(conf), "-l", str(LDIF))
    host, port, tls_port = "127.0.0.1", free_port(), free_port()
    urls = f"ldap://{host}:{port}/ ldaps://{host}:{tls_port}/"
    log = (folder / "slapd.log").open("w")
    # -d keeps slapd in the foreground (so this process owns it); 0 = no debug output
    process = subprocess.Popen(
        [slapd, "-f", str(conf), "-h", urls, "-d", "0"], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 15
        while not _answers(host, tls_port, str(folder / "ca.pem")):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"slapd did not start: {(folder / 'slapd.log').read_text()}")
            time.sleep(0.05)
        directory = Directory(host, port, tls_port, str(folder / "ca.pem"), folder)
        directory.refresh_member_of()
        yield directory
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
