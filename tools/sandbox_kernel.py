"""Start one Jupyter kernel inside the grading sandbox (issue 26 §2): a student's notebook runs here, never as the
instructor.

    python tools/sandbox_kernel.py CONNECTION_FILE          # a kernelspec's argv (tools/grade.py installs it)

What the kernel gets, from the kernel manager's point of view an ordinary IPython kernel on ``ipc`` sockets:
* **No network**: a new network namespace with no interface up (the kernel talks to nbgrader over Unix sockets in
  the sandbox's socket folder, which is why grading uses the ``ipc`` transport).
* **The course read-only**, and what holds answers hidden: the course folder is remounted read-only, and
  ``notebooks/`` (the instructor's solutions), ``.git`` (their history), ``build/`` and ``workspace/`` are replaced
  by empty folders, and so are the nbgrader course's ``source/``, ``submitted/``, ``feedback/`` and every other
  student's ``autograded/`` folder (and its gradebook). A private, size-limited /tmp; the home folders hidden.
* **An unprivileged user** (:data:`USER`, created when missing) when started as root — CI, a class server. Started
  without root (an instructor's laptop), a user namespace gives the same mounts and no network, but the kernel keeps
  the instructor's user id: everything outside the course, the sandbox folders and /tmp stays as writable as it is
  for the instructor. :func:`mode` says which; tools/grade.py prints it.
* **Limits** (:data:`LIMITS`): 4 GiB of address space (a 10 GiB array is a MemoryError in that cell), 64 processes
  (a fork bomb stops there), 256 MB per file, 15 CPU minutes; nbgrader's per-cell timeout comes on top.

Writes outside the student's own autograded folder fail (read-only or permission denied) or land in the private /tmp,
which disappears with the kernel. The kernel is process 1 of a new PID namespace: when it ends, every process the
submission started (a fork bomb's, a background one) ends with it.
"""

from __future__ import annotations

import ctypes
import json
import os
import pwd
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USER = "bbh-grader"
GiB = 1 << 30
LIMITS = {resource.RLIMIT_AS: 4 * GiB, resource.RLIMIT_NPROC: 64, resource.RLIMIT_FSIZE: 256 << 20,
          resource.RLIMIT_CPU: 900, resource.RLIMIT_CORE: 0}
HIDDEN = ["notebooks", ".git", "build", "workspace"]   # of the course folder (an nbgrader course: see build_sandbox)
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    return libc


def _call(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"sandbox: {what} failed: {os.strerror(errno)}")


def _bytes(text) -> bytes | None:
    return None if text is None else str(text).encode()


def mount(source, target, fstype=None, flags=0, data=None) -> None:
    enc = _bytes
    _call(_libc().mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def mode() -> str:
    """"user" (root: the kernel runs as USER), "namespace" (no root: user namespaces, the instructor's uid), or
    "none" (this machine can make neither; tools/grade.py refuses to grade then unless told GRADE_SANDBOX=off)."""
    if os.geteuid() == 0:
        return "user"
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "--net", "true"], capture_output=True)
    return "namespace" if probe.returncode == 0 else "none"


def grader_ids() -> tuple[int, int]:
    """(uid, gid) of USER, created as a system user without a home or shell when missing (needs root)."""
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                        "/usr/sbin/nologin", USER], check=True, capture_output=True)
        entry = pwd.getpwnam(USER)
    return entry.pw_uid, entry.pw_gid


def _enter_namespaces() -> None:
    """New mount and network namespaces for this process, and a new PID namespace for its next child (the kernel is
    its process 1: when the kernel ends, every process it left behind ends with it)."""
    libc = _libc()
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID
    if os.geteuid() == 0:
        _call(libc.unshare(flags), "unshare")
        return
    uid, gid = os.getuid(), os.getgid()
    _call(libc.unshare(CLONE_NEWUSER | flags), "unshare")
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")


def _bind(fd: int, target: Path, recursive: bool = False) -> None:
    """Bind the folder open as ``fd`` (opened before the mounts that hide its path) at ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    mount(f"/proc/self/fd/{fd}", target, flags=MS_BIND | (MS_REC if recursive else 0))


def _empty(folder: Path) -> None:
    if folder.is_dir():
        mount("tmpfs", folder, "tmpfs", data="mode=0755,size=1m")


def build_sandbox(cwd: Path, sockets: Path, uid: int | None) -> None:
    """The mounts (in this process's new mount namespace): see the module docstring."""
    course = ROOT.resolve()
    needed = [course, Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()]
    needed = [p for p in dict.fromkeys(needed) if not any(q in p.parents for q in needed)]   # outermost only
    fds = {p: os.open(p, os.O_PATH | os.O_DIRECTORY) for p in [*needed, cwd, sockets]}
    mount(None, "/", flags=MS_REC | MS_PRIVATE)
    mount("tmpfs", "/tmp", "tmpfs", data="mode=1777,size=512m")          # a private /tmp, gone with the kernel
    for home in (Path("/root"), Path("/home")):                          # the home folders: gone, except for what
        if home.is_dir() and home not in needed:                         # the kernel needs (pyenv's Python under
            _empty(home)                                                 # /root, a course in a home folder)
            for p in needed:
                if home in p.parents:
                    _bind(fds[p], p, recursive=True)
    mount(course, course, flags=MS_BIND | MS_REC)
    mount(None, course, flags=MS_REMOUNT | MS_BIND | MS_RDONLY)        # the course, read-only
    for name in HIDDEN:
        _empty(course / name)
    if cwd.parent.parent.name == "autograded":                          # an nbgrader course (tools/grade.py):
        nbgrader_course = cwd.parent.parent.parent                      # every hand-in and graded copy, and the
        for name in ("autograded", "submitted", "source", "feedback", "gradebook.db"):   # solutions: gone
            target = nbgrader_course / name
            if target.is_file():
                mount("/dev/null", target, flags=MS_BIND)
            else:
                _empty(target)
    _bind(fds[cwd], cwd)                                                # writable: the student's own folder
    _bind(fds[sockets], sockets)                                        # writable: the kernel's sockets
    for fd in fds.values():
        os.close(fd)
    try:                                                                # this PID namespace's processes only
        mount("proc", "/proc", "proc", flags=MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except OSError:
        pass                                                            # (a container that forbids it: keep its /proc)
    if uid is not None:
        os.chown(cwd, uid, -1)


def limit() -> None:
    for which, value in LIMITS.items():
        soft, hard = resource.getrlimit(which)
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (cap, cap))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--run"]:
        return run_command(Path(argv[1]).resolve(), argv[3:])
    if len(argv) != 1:
        raise SystemExit("usage: python tools/sandbox_kernel.py CONNECTION_FILE  (a kernelspec's argv; tools/grade.py)")
    info = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    if info.get("transport") != "ipc":
        raise SystemExit("sandbox_kernel: the kernel has no network; grade with KernelManager.transport = 'ipc'")
    sockets = Path(info["ip"]).parent
    cwd = Path.cwd()
    ids = grader_ids() if os.geteuid() == 0 else None
    _enter_namespaces()
    child = os.fork()
    if child == 0:
        _kernel(info, cwd, sockets, ids)
    # The launcher the kernel manager sees: interrupts reach the kernel directly (same process group); a terminate
    # or kill ends the kernel, and with it every process of its PID namespace.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(child, signal.SIGKILL))
    _, status = os.waitpid(child, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _kernel(info: dict, cwd: Path, sockets: Path, ids: tuple[int, int] | None) -> None:
    """Process 1 of the new PID namespace: the mounts, the user, the limits, then IPython's kernel."""
    try:
        build_sandbox(cwd, sockets, ids[0] if ids else None)
        private = Path("/tmp/kernel.json")                               # readable by the kernel's user
        private.write_text(json.dumps(info), encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib",
               "IPYTHONDIR": "/tmp/ipython", "JUPYTER_RUNTIME_DIR": "/tmp/runtime", "PYTHONDONTWRITEBYTECODE": "1",
               "LANG": "C.UTF-8", "MPLBACKEND": "module://matplotlib_inline.backend_inline",
               "OPENBLAS_NUM_THREADS": "1"}
        if ids:
            uid, gid = ids
            os.chown(private, uid, gid)
            os.chmod(private, 0o600)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
        limit()
        os.chdir(cwd)
        python = sys.executable
        os.execve(python, [python, "-I", "-m", "ipykernel_launcher", "-f", str(private),
                           "--HistoryManager.hist_file=:memory:"], env)
    except BaseException as error:  # never fall back into the launcher's code
        print(f"sandbox_kernel: {error}", file=sys.stderr, flush=True)
        os._exit(70)


def run_command(cwd: Path, command: list[str]) -> None:
    """``python tools/sandbox_kernel.py --run CWD -- COMMAND …``: run a command (tools/judge.py) in the same sandbox
    as a kernel, ``CWD`` its one writable folder; stdin and stdout pass through."""
    ids = grader_ids() if os.geteuid() == 0 else None
    _enter_namespaces()
    child = os.fork()
    if child == 0:
        try:
            build_sandbox(cwd, cwd, ids[0] if ids else None)
            env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib",
                   "IPYTHONDIR": "/tmp/ipython", "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8",
                   "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1"}
            if ids:
                os.setgroups([])
                os.setgid(ids[1])
                os.setuid(ids[0])
            limit()
            os.chdir(cwd)
            _call(_libc().prctl(1, signal.SIGKILL, 0, 0, 0), "prctl")   # PR_SET_PDEATHSIG: a launcher killed on
            os.execve(command[0], command, env)                         # a timeout takes the command with it
        except BaseException as error:  # never fall back into the launcher's code
            print(f"sandbox_kernel: {error}", file=sys.stderr, flush=True)
            os._exit(70)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(child, signal.SIGKILL))
    _, status = os.waitpid(child, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def kernelspec(folder: Path) -> Path:
    """Write the kernelspec ``bbh-sandbox`` under ``folder``/kernels (put ``folder`` on JUPYTER_PATH)."""
    spec = folder / "kernels" / "bbh-sandbox"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(Path(__file__).resolve()), "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)", "language": "python"}, indent=1), encoding="utf-8")
    return spec


def nbgrader_config(course: Path) -> tuple[list[str], dict[str, str]]:
    """The nbgrader_config.py lines and the environment that make nbgrader's autograde run every kernel here: the
    kernelspec ``bbh-sandbox`` (written under ``course``/sandbox/share, which goes on JUPYTER_PATH) and ipc sockets
    in ``course``/sandbox/sockets."""
    share = course / "sandbox" / "share"
    kernelspec(share)
    sockets = socket_folder(course / "sandbox" / "sockets")
    lines = ["c.Execute.kernel_name = 'bbh-sandbox'", "c.KernelManager.transport = 'ipc'",
             f"c.KernelManager.ip = {str(sockets / 'kernel')!r}"]
    return lines, {"JUPYTER_PATH": str(share)}


def socket_folder(folder: Path) -> Path:
    """A folder for the kernels' ipc sockets that the sandboxed kernel may write (made fresh)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    folder.chmod(0o1777)
    return folder


if __name__ == "__main__":
    main(sys.argv[1:])
