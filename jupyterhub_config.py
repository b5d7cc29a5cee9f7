# JupyterHub configuration for Backprop by Hand: two modes, chosen by HUB_MODE.
#
# HUB_MODE=tryout (`make hub`, the default) — a LOCAL TRY-OUT: a real JupyterHub and configurable-http-proxy on
# 127.0.0.1, any user name and password logs in (tools/hub_policy.TryOutAuthenticator, JupyterHub's
# DummyAuthenticator that refuses to start on any address but loopback), and every student's server runs as ONE
# system user in build/hub/home/<name>/ (tools/hub_policy.TryOutSpawner: SimpleLocalProcessSpawner that never runs a
# server as root — a hub started as root runs them as the checkout's owner, or nobody). No isolation between students.
#
# HUB_MODE=class (`make hub-class`, as root) — a class: every student logs in with their own system account (PAM) and
# their server runs as that user in their own home, mode 0700 (tools/hub_policy.ClassSpawner, LocalProcessSpawner —
# the model of The Littlest JupyterHub); only members of the group HUB_CLASS_GROUP may log in, HUB_INSTRUCTOR is the
# hub's admin. nbgrader's exchange carries the lessons (config/hub-class/: the Assignments list in JupyterLab, the
# exchange folder and course id); the instructor runs release/collect/autograde/feedback with `make class-…`.
#
# In both modes: the hub's database and cookie secret are readable by their owner only; students' servers serve only
# what lies inside their home (config/hub/jupyter_server_config.py, tools/hub_contents.py: no symlink out of it).
#
# Settings read from the environment (the tests and benchmarks/hub_load.py use them; `make hub` sets HUB_PORT):
#   HUB_PORT            public port of the proxy on 127.0.0.1 (default 8000)
#   HUB_INTERNAL_PORT   the hub's own port behind the proxy (default HUB_PORT + 1)
#   HUB_PROXY_API_PORT  configurable-http-proxy's REST API port (default HUB_PORT + 2)
#   HUB_STATE           folder for the database, cookie secret and users' homes (default build/hub)
#   HUB_START_TIMEOUT   seconds a student's server may take to start (default 120: a class logs in at once)
#   HUB_BLAS_THREADS    BLAS threads per kernel (default 1; empty: OpenBLAS's default, one per core)
#   HUB_MODE            tryout (default) or class
#   HUB_RUN_AS          try-out run as root: the system user of the students' servers (default: the checkout's owner,
#                       or nobody)
#   HUB_CLASS_GROUP     class mode: the system group whose members may log in (default backprop-class)
#   HUB_INSTRUCTOR      class mode: the instructor's system user, the hub's admin (default instructor)
#   NBGRADER_EXCHANGE   class mode: nbgrader's exchange folder (default /srv/nbgrader/exchange)
# ruff: noqa: F821  (`c` is the configuration object JupyterHub passes to this file)

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))
import hub_policy  # noqa: E402

MODE = os.environ.get("HUB_MODE", "tryout")
if MODE not in ("tryout", "class"):
    raise SystemExit(f"jupyterhub_config.py: HUB_MODE must be tryout or class, not {MODE!r}")
VENV_BIN = Path(sys.executable).parent  # the course's .venv/bin: hub, single-user servers and kernels share it
PORT = int(os.environ.get("HUB_PORT", "8000"))
STATE = Path(os.environ.get("HUB_STATE", ROOT / "build" / ("hub" if MODE == "tryout" else "hub-class"))).resolve()
# Everything the hub writes (database, cookie secret, pid files) is its owner's only; its state folder can be
# entered (0711: the try-out homes live in it) but not listed by others.
os.umask(0o077)
STATE.mkdir(parents=True, exist_ok=True)
STATE.chmod(0o711)
for secret in ("jupyterhub.sqlite", "jupyterhub_cookie_secret"):
    if (STATE / secret).exists():
        (STATE / secret).chmod(0o600)  # made by an earlier version of this file with the default umask
START_TIMEOUT = int(os.environ.get("HUB_START_TIMEOUT", "120"))

# --- network: loopback only ----------------------------------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_INTERNAL_PORT", PORT + 1))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('HUB_PROXY_API_PORT', PORT + 2))}"
# configurable-http-proxy installed with npm from tools/web/package-lock.json (`make hub` runs `npm ci` once).
chp = ROOT / "build" / "hub-node" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(chp) if chp.exists() else shutil.which("configurable-http-proxy") or str(chp)]
c.ConfigurableHTTPProxy.should_start = True

# --- state ---------------------------------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")  # not the working directory: hubs side by side
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server

# --- who may log in ------------------------------------------------------------------------------------------------
if MODE == "tryout":
    # Any name, any password (DummyAuthenticator); it stops the hub if bind_url or hub_bind_url is not loopback.
    c.JupyterHub.authenticator_class = hub_policy.TryOutAuthenticator
else:
    # The students' and instructor's system accounts (JupyterHub's PAMAuthenticator), members of one group only.
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.open_sessions = False  # no PAM session modules: a container may lack them
    c.Authenticator.allowed_groups = {os.environ.get("HUB_CLASS_GROUP", "backprop-class")}
    c.Authenticator.admin_users = {os.environ.get("HUB_INSTRUCTOR", "instructor")}
# Production: the institution's single sign-on, and only the enrolled students. For example
#   OAuth (pip install oauthenticator):
#     c.JupyterHub.authenticator_class = "generic-oauth"      # or "github", "google", "azuread", "cilogon"
#     c.GenericOAuthenticator.client_id = "…"; c.GenericOAuthenticator.client_secret = "…"
#     c.GenericOAuthenticator.oauth_callback_url = "https://hub.example.edu/hub/oauth_callback"
#     c.GenericOAuthenticator.allowed_groups = {"backprop-2027"}
#   LTI 1.3 from the LMS — Canvas, Moodle, Blackboard (pip install jupyterhub-ltiauthenticator):
#     c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
#     c.LTI13Authenticator.issuer = "https://canvas.instructure.com"
#     c.LTI13Authenticator.client_id = ["…"]
#     c.LTI13Authenticator.authorize_url = "https://canvas.example.edu/api/lti/authorize_redirect"
#     c.LTI13Authenticator.jwks_endpoint = "https://canvas.example.edu/api/lti/security/jwks"
#   c.Authenticator.admin_users = {"instructor"}
# (With OAuth/LTI in class mode, each user still needs a system account of the same name: ClassSpawner runs their
# server as that user.)

# --- how students' servers run -------------------------------------------------------------------------------------
CONFIG_PATH = [str(ROOT / "config" / "hub")]  # Jupyter Server settings: no symlinks out of the home
if MODE == "tryout":
    c.JupyterHub.spawner_class = hub_policy.TryOutSpawner  # one system user for everyone: no isolation
    c.TryOutSpawner.home_dir_template = str(STATE / "home" / "{username}")
    (STATE / "home").mkdir(exist_ok=True)
    (STATE / "home").chmod(0o711)
    if os.geteuid() == 0:
        c.TryOutSpawner.run_as = os.environ.get("HUB_RUN_AS") or hub_policy.default_run_as(str(ROOT))
else:
    if os.geteuid() != 0:
        raise SystemExit("make hub-class: the class hub starts each student's server as that student's system user, "
                         "which only root can do; run it as root (sudo make hub-class)")
    c.JupyterHub.spawner_class = hub_policy.ClassSpawner  # each student's own system user, home mode 0700
    CONFIG_PATH.insert(0, str(ROOT / "config" / "hub-class"))  # nbgrader's Assignments list and exchange
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]  # JupyterLab + nbgitpuller + the course's kernel
c.TryOutSpawner.interpreters = c.ClassSpawner.interpreters = [sys.executable]  # other users must reach the .venv
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = START_TIMEOUT
c.Spawner.http_timeout = START_TIMEOUT
c.Spawner.environment = {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
                         "JUPYTER_CONFIG_PATH": os.pathsep.join(CONFIG_PATH)}
if MODE == "class":
    c.Spawner.environment.update({"NBGRADER_EXCHANGE": os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange"),
                                  "NBGRADER_COURSE_ID": os.environ.get("NBGRADER_COURSE_ID", "backprop-by-hand")})
# One BLAS thread per kernel: many students' kernels share the cores, and OpenBLAS's default of one thread per core
# made every kernel spin against the others (benchmarks/hub_load.md: 20 students at once took 2.5× as long).
BLAS_THREADS = os.environ.get("HUB_BLAS_THREADS", "1")
if BLAS_THREADS:
    c.Spawner.environment.update({"OPENBLAS_NUM_THREADS": BLAS_THREADS, "OMP_NUM_THREADS": BLAS_THREADS})
# The machine's OpenBLAS kernel selection, as `make test` has it, so a lesson prints the same numbers on the hub.
c.Spawner.env_keep = ["JUPYTERHUB_SINGLEUSER_APP", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]
# No server runs as root, so none needs --allow-root.
# Production at scale: a spawner that gives every student their own container, e.g.
#   Zero to JupyterHub (Kubernetes): KubeSpawner, one pod per student, from the image repo2docker builds from
#     environment.yml — see README's "Teaching a class" for its config.yaml.
#   The Littlest JupyterHub (one server): SystemdSpawner, one Unix user and systemd unit per student.
#   c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"   # or "dockerspawner.DockerSpawner"

# --- resource limits (enforced by KubeSpawner, SystemdSpawner, DockerSpawner; LocalProcessSpawner ignores them) -----
# Measured with benchmarks/hub_load.py (benchmarks/hub_load.md): a student running the heaviest lesson uses about
# 290 MiB (JupyterLab server + kernel) and 8–14 CPU-seconds per Run All; see README's sizing table.
#   c.Spawner.mem_guarantee = "512M"
#   c.Spawner.mem_limit = "1G"
#   c.Spawner.cpu_guarantee = 0.05
#   c.Spawner.cpu_limit = 1
#   c.JupyterHub.concurrent_spawn_limit = 100   # queue a whole class logging in at the same minute

# --- idle culler (production) ----------------------------------------------------------------------------------------
# Stop servers nobody used for an hour, so memory is given back (pip install jupyterhub-idle-culler):
#   c.JupyterHub.load_roles = [{"name": "jupyterhub-idle-culler-role",
#                               "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
#                               "services": ["jupyterhub-idle-culler-service"]}]
#   c.JupyterHub.services = [{"name": "jupyterhub-idle-culler-service",
#                             "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"]}]
