"""Start JupyterHub exactly as `make hub` does (127.0.0.1, token auth on) and use it as students do: log in, get a
token from the REST API, start a server, open an nbgitpuller link, run a lesson in the kernel through the proxy.

Used by tests/test_hub.py and benchmarks/hub_load.py. Every address is on the loopback interface.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import hub_link  # noqa: E402

TARGET = "backprop-by-hand"  # the folder nbgitpuller clones into, in each student's home


def free_ports(count: int) -> list[int]:
    import socket

    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class Hub:
    base: str
    port: int
    state: Path
    log: Path
    proc: subprocess.Popen
    pids: set[int] = field(default_factory=set)

    def processes(self) -> list[psutil.Process]:
        """The hub and everything it started (proxy, single-user servers, kernels)."""
        with contextlib.suppress(psutil.NoSuchProcess):
            return [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        return []

    def remember_processes(self) -> None:
        self.pids |= {p.pid for p in self.processes()}


def stop_process_tree(hub: Hub, grace: float = 20) -> None:
    """SIGTERM the `make hub` process group (JupyterHub stops the servers it spawned), then SIGKILL whatever the hub
    started that is still alive — servers and kernels run in their own sessions, so the group alone is not enough."""
    hub.remember_processes()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(hub.proc.pid, signal.SIGTERM)
    try:
        hub.proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(hub.proc.pid, signal.SIGKILL)
        hub.proc.wait(timeout=10)
    left = []
    for pid in hub.pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            left.append(psutil.Process(pid))
    for p in left:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.terminate()
    _, alive = psutil.wait_procs(left, timeout=10)
    for p in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()


@contextlib.contextmanager
def shared_folder(prefix: str = "backprop-hub-"):
    """A new folder under the system's temporary folder that other users may enter and read (mode 0755) — pytest's
    tmp_path is its owner's only (0700), but a hub started as root runs the students' servers as other users, who
    must reach their homes and the course's bare repository. Removed afterwards."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def running_hub(state: Path, timeout: float = 120, start_timeout: int = 120, env: dict[str, str] | None = None,
                target: str = "hub", flags: str = ""):
    """Yield a Hub started with `make hub` (or ``target``, e.g. hub-class) on free loopback ports, its state
    (database, homes) in ``state``; stop it and everything it started afterwards, also when the body fails. ``env``:
    extra environment for the hub (and, through jupyterhub_config.py's env_keep, for the students' servers);
    ``flags``: HUB_FLAGS."""
    port, internal, api = free_ports(3)
    state.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HUB_PORT": str(port), "HUB_INTERNAL_PORT": str(internal), "HUB_PROXY_API_PORT": str(api),
           "HUB_STATE": str(state), "HUB_START_TIMEOUT": str(start_timeout), **(env or {})}
    for name in ("MAKEFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    log = state / "hub.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["make", "-s", target, f"HUB_PORT={port}", f"HUB_FLAGS={flags}"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(f"http://127.0.0.1:{port}", port, state, log, proc)
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("make hub exited early:\n" + log.read_text()[-3000:])
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{hub.base}/hub/api/", timeout=5).status_code == 200:
                    break
            if time.time() > deadline:
                raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s:\n" + log.read_text()[-3000:])
            time.sleep(0.5)
        hub.remember_processes()
        yield hub
    finally:
        stop_process_tree(hub)


def bare_course_copy(folder: Path) -> Path:
    """A bare clone of this repository's committed HEAD — what nbgitpuller pulls in the tests (no network)."""
    repo = folder / f"{TARGET}.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", "--no-hardlinks", str(ROOT), str(repo)], check=True)
    return repo


def hand_to_tryout_servers(folder: Path, repo: Path) -> str | None:
    """As root, `make hub` runs the students' servers as another user (the checkout's owner, or nobody): let them
    enter ``folder`` and give them the bare copy ``repo`` (git serves a repository only to its owner, "dubious
    ownership"; a course's remote is theirs to read). Returns why they could not run the course's Python, or None.
    Does nothing when not root."""
    if os.geteuid() != 0:
        return None
    import pwd

    import hub_policy

    user = hub_policy.default_run_as(str(ROOT))
    problem = hub_policy.unreachable(sys.executable, user)
    if problem:
        return problem
    folder.chmod(0o755)
    owner = pwd.getpwnam(user)
    for path in [repo, *repo.rglob("*")]:
        os.chown(path, owner.pw_uid, owner.pw_gid, follow_symlinks=False)
    return None


class Student:
    """One student: a browser session (cookies) for the login form and links, and a REST API token."""

    def __init__(self, hub: Hub, name: str, password: str = "try-out"):
        self.hub, self.name, self.password = hub, name, password
        self.browser = requests.Session()
        self.token: str | None = None

    @property
    def server(self) -> str:
        return f"{self.hub.base}/user/{self.name}"

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"token {token or self.token}"}

    def login(self) -> None:
        """The hub's login form, as a browser submits it (DummyAuthenticator); creates the user on first login."""
        page = self.browser.get(f"{self.hub.base}/hub/login", timeout=30)
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
        form = {"username": self.name, "password": self.password, **({"_xsrf": xsrf[1]} if xsrf else {})}
        answer = self.browser.post(f"{self.hub.base}/hub/login", data=form, allow_redirects=False, timeout=60)
        if answer.status_code != 302:
            raise RuntimeError(f"{self.name}: login answered {answer.status_code}")

    def request_token(self) -> str:
        """POST /hub/api/users/{name}/tokens, authenticated by the authenticator with the name and password."""
        answer = requests.post(f"{self.hub.base}/hub/api/users/{self.name}/tokens", timeout=60,
                               json={"auth": {"username": self.name, "password": self.password},
                                     "note": "backprop-by-hand test", "expires_in": 3600})
        if answer.status_code != 201:
            raise RuntimeError(f"{self.name}: token request answered {answer.status_code}: {answer.text[:300]}")
        self.token = answer.json()["token"]
        return self.token

    def start_server(self, timeout: float = 180) -> float:
        """POST /hub/api/users/{name}/server, then wait until the hub says it is ready; returns the seconds taken."""
        start = time.perf_counter()
        answer = requests.post(f"{self.hub.base}/hub/api/users/{self.name}/server", headers=self.headers(),
                               timeout=60)
        if answer.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"{self.name}: starting the server answered {answer.status_code}: {answer.text[:300]}")
        deadline = time.time() + timeout
        while time.time() < deadline:
            model = requests.get(f"{self.hub.base}/hub/api/users/{self.name}", headers=self.headers(), timeout=60)
            server = model.json().get("servers", {}).get("", {})
            if server.get("ready"):
                return time.perf_counter() - start
            if not server.get("pending") and answer.status_code != 400 and time.perf_counter() - start > 5:
                raise RuntimeError(f"{self.name}: the server stopped while starting: {model.text[:300]}")
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}: the server was not ready within {timeout:.0f} s")

    def open_link(self, link: str) -> requests.Response:
        """Follow an nbgitpuller link as a browser does: hub → user-redirect → the student's server (OAuth)."""
        return self.browser.get(link, timeout=120)

    def pull(self, repo: str, branch: str, targetpath: str = TARGET, timeout: float = 120) -> list[dict]:
        """What the nbgitpuller page's script does: read the server's git-pull event stream until it finishes."""
        query = urllib.parse.urlencode({"repo": repo, "branch": branch, "targetpath": targetpath})
        events = []
        with requests.get(f"{self.server}/git-pull/api?{query}", headers=self.headers(), stream=True,
                          timeout=timeout) as answer:
            answer.raise_for_status()
            for line in answer.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    event = json.loads(line[len("data: "):])
                    events.append(event)
                    if event.get("phase") == "error":
                        raise RuntimeError(f"{self.name}: nbgitpuller failed: {event.get('message')}")
                    if event.get("phase") == "finished":
                        break
        return events

    def contents(self, path: str, token: str | None = None) -> requests.Response:
        return requests.get(f"{self.server}/api/contents/{urllib.parse.quote(path)}", headers=self.headers(token),
                            timeout=60)

    def notebook(self, path: str) -> dict:
        answer = self.contents(path)
        answer.raise_for_status()
        return answer.json()["content"]

    def run_notebook(self, path: str, timeout: float = 300) -> tuple[list[list[tuple[str, str]]], dict]:
        """Run every code cell of the notebook at ``path`` (in the student's home) top to bottom in a new kernel on
        the student's server, over the kernel websocket through the hub's proxy. Returns the text outputs per code
        cell and the kernel's own figures (peak RSS, CPU-seconds) measured inside the kernel after the last cell."""
        nb = self.notebook(path)
        cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
        answer = requests.post(f"{self.server}/api/kernels", headers=self.headers(), timeout=120,
                               json={"name": "python3", "path": path})
        answer.raise_for_status()
        kernel = answer.json()["id"]
        ws_url = self.server.replace("http://", "ws://", 1) + f"/api/kernels/{kernel}/channels"
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=timeout)
        session = uuid.uuid4().hex
        try:
            deadline = time.time() + timeout
            outputs = [execute(ws, session, self.name, source(c), deadline) for c in cells]
            probe = execute(ws, session, self.name, KERNEL_PROBE, deadline)
        finally:
            ws.close()
            requests.delete(f"{self.server}/api/kernels/{kernel}", headers=self.headers(), timeout=60)
        figures = json.loads(next(text for kind, text in probe if kind == "stdout"))
        return outputs, figures


    def run_code(self, code: str, timeout: float = 120) -> list[tuple[str, str]]:
        """Run ``code`` in a new kernel on the student's server (through the hub's proxy) and return its outputs."""
        answer = requests.post(f"{self.server}/api/kernels", headers=self.headers(), timeout=120,
                               json={"name": "python3"})
        answer.raise_for_status()
        kernel = answer.json()["id"]
        ws_url = self.server.replace("http://", "ws://", 1) + f"/api/kernels/{kernel}/channels"
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=timeout)
        try:
            return execute(ws, uuid.uuid4().hex, self.name, code, time.time() + timeout)
        finally:
            ws.close()
            requests.delete(f"{self.server}/api/kernels/{kernel}", headers=self.headers(), timeout=60)


# Peak resident memory and CPU-seconds of the kernel process itself (Linux: ru_maxrss in KiB).
KERNEL_PROBE = """import json as _j, resource as _r
_u = _r.getrusage(_r.RUSAGE_SELF)
print(_j.dumps({"rss_mib": _u.ru_maxrss / 1024, "cpu_s": _u.ru_utime + _u.ru_stime}))"""


def source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def execute(ws, session: str, username: str, code: str, deadline: float) -> list[tuple[str, str]]:
    """Send one execute_request on the kernel websocket (Jupyter's JSON protocol) and collect its outputs as
    (kind, text): ('stdout'|'stderr', text), ('text/plain', repr) of results and displays, ('error', ename)."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": username, "session": session, "msg_type": "execute_request",
                   "version": "5.3", "date": datetime.datetime.now(datetime.UTC).isoformat()},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    outputs: list[tuple[str, str]] = []
    idle = replied = False
    while not (idle and replied):
        if time.time() > deadline:
            raise TimeoutError("the lesson did not finish in time")
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["header"]["msg_type"], msg["content"]
        if msg["channel"] == "shell" and kind == "execute_reply":
            replied = True
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
        elif kind == "stream":
            outputs.append((content["name"], content["text"]))
        elif kind in ("execute_result", "display_data") and "text/plain" in content["data"]:
            outputs.append(("text/plain", content["data"]["text/plain"]))
        elif kind == "error":
            outputs.append(("error", content["ename"] + ": " + content["evalue"]))
        elif kind == "clear_output":
            outputs.clear()
    return coalesce(outputs)


def coalesce(outputs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join consecutive pieces of the same stream (the kernel may flush a print in several messages)."""
    joined: list[tuple[str, str]] = []
    for kind, text in outputs:
        if joined and kind in ("stdout", "stderr") and joined[-1][0] == kind:
            joined[-1] = (kind, joined[-1][1] + text)
        else:
            joined.append((kind, text))
    return joined


def stored_outputs(cell: dict) -> list[tuple[str, str]]:
    """A stored code cell's outputs in the same (kind, text) form as execute()."""
    outputs = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            outputs.append((out["name"], source({"source": out["text"]})))
        elif out["output_type"] in ("execute_result", "display_data") and "text/plain" in out["data"]:
            outputs.append(("text/plain", source({"source": out["data"]["text/plain"]})))
        elif out["output_type"] == "error":
            outputs.append(("error", out["ename"] + ": " + out["evalue"]))
    return coalesce(outputs)


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The regex/replace pairs of tests/nbval_sanitize.cfg, which `make test` applies before strict nbval compares."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def compared(outputs: list[tuple[str, str]], rules) -> list[tuple[str, str]]:
    result = []
    for kind, text in outputs:
        for pattern, replace in rules:
            text = pattern.sub(replace, text)
        result.append((kind, text))
    return result


def ignored(cell: dict) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return "nbval-ignore-output" in tags or "nbval-skip" in tags


def lesson_path(lesson: str) -> str:
    """The lesson's path in a student's home after the pull, e.g. 'backprop-by-hand/notebooks/01_….ipynb'."""
    return f"{TARGET}/{hub_link.lesson_file(lesson)}"
