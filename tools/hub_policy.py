"""Who may reach the course's JupyterHub and as whom students' servers run (jupyterhub_config.py imports this).

* ``TryOutAuthenticator`` — the try-out hub's any-name-any-password login (JupyterHub's DummyAuthenticator) that
  refuses to start when the hub would listen on anything but the loopback interface. A real authenticator
  (``--JupyterHub.authenticator_class=pam``, OAuth, LTI…) replaces it, and with it this refusal.
* ``TryOutSpawner`` — SimpleLocalProcessSpawner (one home folder per name, no isolation between students) that never
  runs a server as root: a hub started as root runs every server as ``run_as`` (the checkout's owner, or ``nobody``).
* ``ClassSpawner`` — LocalProcessSpawner (every student a system user, TLJH's model) that refuses to start a server
  whose home others can read, write or enter, or that would run as root.
"""

from __future__ import annotations

import grp
import ipaddress
import os
import pwd
import stat
from urllib.parse import urlparse

from jupyterhub.auth import DummyAuthenticator
from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner, set_user_setuid
from traitlets import List, Unicode

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(url: str) -> bool:
    """True when the host of ``url`` is a loopback address (127.0.0.0/8, ::1), localhost or a Unix socket; False for
    an empty host or 0.0.0.0/:: (every interface) and every other address or name."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("unix+"):  # a Unix socket: reachable from this machine only
        return True
    host = parsed.hostname or ""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refusal(addresses: dict[str, str]) -> str | None:
    """The message refusing a try-out hub on a non-loopback address, or None when every address is loopback."""
    outside = {what: url for what, url in addresses.items() if not is_loopback(url)}
    if not outside:
        return None
    where = ", ".join(f"{what} {url}" for what, url in outside.items())
    return (f"make hub: refusing to listen on {where}: this try-out hub lets ANY name and password log in "
            "(DummyAuthenticator), so it listens on 127.0.0.1 only. For a class reachable from a network, configure "
            "a real authenticator (e.g. --JupyterHub.authenticator_class=pam, or OAuth/LTI as jupyterhub_config.py "
            "shows) — `make hub-class` does, with one system user per student (README, \"Teaching a class\").")


class TryOutAuthenticator(DummyAuthenticator):
    """DummyAuthenticator that stops the hub before it listens anywhere but on loopback."""

    def check_allow_config(self):
        # JupyterHub calls this in init_users(), after bind_url and hub_bind_url are final (config file, command
        # line) and before the hub or its proxy listens on any port.
        app = self.parent
        message = refusal({"bind_url": app.bind_url, "the hub's own bind_url": app.hub.bind_url})
        if message:
            raise SystemExit(message)
        super().check_allow_config()


def unreachable(path: str, name: str) -> str | None:
    """The first folder or file on the way to ``path`` (symlinks resolved) that the system user ``name`` may not enter
    or run, described; None when ``name`` can run ``path``. (A course installed under /root, mode 0700, cannot serve
    other users.)"""
    account = pwd.getpwnam(name)
    groups = {g.gr_gid for g in grp.getgrall() if name in g.gr_mem} | {account.pw_gid}
    real = os.path.realpath(path)
    parts = [real]
    while os.path.dirname(parts[-1]) != parts[-1]:
        parts.append(os.path.dirname(parts[-1]))
    for part in reversed(parts):
        info = os.stat(part)
        bit = 0o100 if info.st_uid == account.pw_uid else 0o010 if info.st_gid in groups else 0o001
        if not info.st_mode & bit:
            return (f"{name} cannot run {path}: {part} has mode {stat.S_IMODE(info.st_mode):o} and belongs to "
                    f"{pwd.getpwuid(info.st_uid).pw_name}; install the course and its Python where every user may "
                    "read them (e.g. /opt), or run the try-out hub as a normal user")
    return None


def check_runnable(programs: list[str], name: str) -> None:
    for program in programs:
        problem = unreachable(program, name)
        if problem:
            raise RuntimeError(problem)


def default_run_as(checkout: str) -> str:
    """Who runs the try-out servers when the hub runs as root: the checkout's owner, or nobody if root owns it."""
    owner = pwd.getpwuid(os.stat(checkout).st_uid)
    return owner.pw_name if owner.pw_uid != 0 else "nobody"


class TryOutSpawner(SimpleLocalProcessSpawner):
    """SimpleLocalProcessSpawner that drops root: as root, every server runs as ``run_as`` in its own home folder
    (made and owned by ``run_as``, mode 0700); as another user, as that user (what SimpleLocalProcessSpawner does)."""

    run_as = Unicode("", config=True, help="System user for the servers when the hub runs as root.")
    interpreters = List(Unicode(), config=True, help="Programs the servers' user must be able to run (Python).")

    def make_preexec_fn(self, name):
        if os.geteuid() != 0:
            return super().make_preexec_fn(name)
        if not self.run_as:
            raise RuntimeError("TryOutSpawner: the hub runs as root and no run_as user is set")
        account = pwd.getpwnam(self.run_as)
        if account.pw_uid == 0:
            raise RuntimeError(f"TryOutSpawner: run_as={self.run_as!r} is root; user servers never run as root")
        check_runnable([self.cmd[0], *self.interpreters], self.run_as)
        home, drop = self.home_dir, set_user_setuid(self.run_as, chdir=False)

        def preexec():
            os.makedirs(home, 0o700, exist_ok=True)
            os.chown(home, account.pw_uid, account.pw_gid)
            os.chmod(home, 0o700)
            drop()
            os.chdir(home)

        return preexec


def private_home_problem(name: str) -> str | None:
    """Why ``name``'s home is not a private home of a non-root user (None when it is)."""
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        return f"{name} is not a system user (create it: useradd --create-home {name})"
    if account.pw_uid == 0:
        return f"{name} is root; a student's server never runs as root"
    try:
        info = os.stat(account.pw_dir)
    except OSError as error:
        return f"{name}'s home {account.pw_dir} cannot be read: {error}"
    if info.st_uid != account.pw_uid:
        return f"{name}'s home {account.pw_dir} belongs to uid {info.st_uid}, not to {name}"
    if stat.S_IMODE(info.st_mode) & 0o077:
        return f"{name}'s home {account.pw_dir} has mode {stat.S_IMODE(info.st_mode):o}; others must have no access"
    return None


class ClassSpawner(LocalProcessSpawner):
    """LocalProcessSpawner for a class: each student's server runs as the student's own system user, in a home only
    that user can open (mode 0700: a home made group- or world-readable is closed again before the server starts)."""

    interpreters = List(Unicode(), config=True, help="Programs the students must be able to run (Python).")

    async def start(self):
        name = self.user.name
        problem = private_home_problem(name)
        if problem and "has mode" in problem:
            home = pwd.getpwnam(name).pw_dir
            os.chmod(home, stat.S_IMODE(os.stat(home).st_mode) & 0o700)
            self.log.warning("closed %s's home %s to other users (was: %s)", name, home, problem)
            problem = private_home_problem(name)
        if problem:
            raise RuntimeError(f"ClassSpawner: not starting {name}'s server: {problem}")
        check_runnable([self.cmd[0], *self.interpreters], name)
        return await super().start()
