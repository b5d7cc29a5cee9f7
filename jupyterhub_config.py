# JupyterHub configuration for Backprop by Hand.
#
# As it stands this file is the LOCAL TRY-OUT that `make hub` runs: a real JupyterHub and configurable-http-proxy on
# 127.0.0.1, JupyterHub's own DummyAuthenticator (any user name and password logs in) and SimpleLocalProcessSpawner
# (every student's server runs as the same system user, in build/hub/home/<name>/). Both are FOR TRYING ONLY:
# there is no isolation between users — a student can read and change another student's files and processes.
# Never expose this hub on a network address.
#
# For a real class, keep the course-specific parts and switch on the commented production choices below (or use
# Zero to JupyterHub's config.yaml / The Littlest JupyterHub, as README's "Teaching a class" shows).
#
# Settings read from the environment (the tests and benchmarks/hub_load.py use them; `make hub` sets HUB_PORT):
#   HUB_PORT            public port of the proxy on 127.0.0.1 (default 8000)
#   HUB_INTERNAL_PORT   the hub's own port behind the proxy (default HUB_PORT + 1)
#   HUB_PROXY_API_PORT  configurable-http-proxy's REST API port (default HUB_PORT + 2)
#   HUB_STATE           folder for the database, cookie secret and users' homes (default build/hub)
#   HUB_START_TIMEOUT   seconds a student's server may take to start (default 120: a class logs in at once)
#   HUB_BLAS_THREADS    BLAS threads per kernel (default 1; empty: OpenBLAS's default, one per core)
# ruff: noqa: F821  (`c` is the configuration object JupyterHub passes to this file)

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent  # the course's .venv/bin: hub, single-user servers and kernels share it
PORT = int(os.environ.get("HUB_PORT", "8000"))
STATE = Path(os.environ.get("HUB_STATE", ROOT / "build" / "hub")).resolve()
STATE.mkdir(parents=True, exist_ok=True)
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

# --- who may log in (TRY-OUT ONLY) ---------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "dummy"  # any name, any password
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

# --- how students' servers run (TRY-OUT ONLY: no isolation) ----------------------------------------------------------
c.JupyterHub.spawner_class = "simple"  # SimpleLocalProcessSpawner: every server runs as this system user
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]  # JupyterLab + nbgitpuller + the course's kernel
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = START_TIMEOUT
c.Spawner.http_timeout = START_TIMEOUT
c.Spawner.environment = {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"}
# One BLAS thread per kernel: many students' kernels share the cores, and OpenBLAS's default of one thread per core
# made every kernel spin against the others (benchmarks/hub_load.md: 20 students at once took 2.5× as long).
BLAS_THREADS = os.environ.get("HUB_BLAS_THREADS", "1")
if BLAS_THREADS:
    c.Spawner.environment.update({"OPENBLAS_NUM_THREADS": BLAS_THREADS, "OMP_NUM_THREADS": BLAS_THREADS})
# The machine's OpenBLAS kernel selection, as `make test` has it, so a lesson prints the same numbers on the hub.
c.Spawner.env_keep = ["JUPYTERHUB_SINGLEUSER_APP", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]  # a container or CI machine runs as root; tokens stay on
# Production: a spawner that gives every student their own account or container, e.g.
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
