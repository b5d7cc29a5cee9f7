# Jupyter Server settings for the course hub's user servers (jupyterhub_config.py puts this folder on their
# JUPYTER_CONFIG_PATH; `make lab` does not read it).
# ruff: noqa: F821  (`c` is the configuration object Jupyter Server passes to this file)
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "tools"))
import hub_contents  # noqa: E402

# Serve only what lies inside the student's home: no symlink out of it (tools/hub_contents.py), no hidden files.
c.ServerApp.contents_manager_class = hub_contents.RootOnlyContentsManager
c.ContentsManager.allow_hidden = False
