"""Export is offline: `spbe export` under strace makes no DNS query and connects to nothing but loopback.

The attack of issue 14: Kaleido's Chromium sent 70 DNS queries for Google hosts and tried to connect
to a public address. strace follows every process the export starts (Python, the browser and its
helpers) and records each connect and send with its address. Needs strace and chromium-headless-shell
(`make test` installs both as root); without them the test skips locally and fails under CI=true.
"""

import ipaddress
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from spbe.present import export
from spbe.settings import ROOT

TRACED = "connect,sendto,sendmsg,sendmmsg,execve"
# An internet socket address as strace prints it: the port, then an IPv4 or IPv6 address.
SOCKADDR = re.compile(
    r"sa_family=AF_INET6?, sin6?_port=htons\((\d+)\).*?"
    r'(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")'
)


def outside_requests(trace: str) -> list[str]:
    """The lines of an strace log that leave the machine or ask for a name: a DNS query (port 53, even
    to a local resolver) or any address outside 127.0.0.0/8 and ::1."""
    found = []
    for line in trace.splitlines():
        for port, ipv4, ipv6 in SOCKADDR.findall(line):
            address = ipaddress.ip_address(ipv4 or ipv6)
            mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
            if port == "53" or not (address.is_loopback or (mapped is not None and mapped.is_loopback)):
                found.append(line.strip())
    return found


@pytest.fixture(scope="module")
def strace() -> str:
    tools = {"strace": shutil.which("strace"), "chromium-headless-shell": export.chromium_path()}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        message = f"{' and '.join(missing)} not installed (apt-get install -y {' '.join(missing)})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI requires the offline export test: {message}")
        pytest.skip(message)
    return tools["strace"]


def test_export_command_makes_no_dns_query_and_no_connection_beyond_loopback(strace, tmp_path):
    log, out = tmp_path / "strace.log", tmp_path / "kit.zip"
    export_kit = [sys.executable, "-m", "spbe", "export", "--year", "2024", "--out", str(out), "--formats", "png"]
    command = [strace, "-f", "-qq", "-o", str(log), "-e", f"trace={TRACED}", *export_kit]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    with zipfile.ZipFile(out) as archive:  # the export really ran, maps included
        assert sum(name.endswith(".png") for name in archive.namelist()) >= 6
    trace = log.read_text(errors="replace")
    assert f'execve("{export.chromium_path()}"' in trace  # the browser itself was traced
    assert outside_requests(trace) == []
