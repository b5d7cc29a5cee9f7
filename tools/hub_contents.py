"""A Jupyter Server contents manager that serves only what really lies inside the server's root folder.

Jupyter Server's own file managers check that a path is inside root_dir with os.path.abspath, which does not
resolve symlinks (jupyter_server/services/contents/fileio.py, FileManagerMixin._get_os_path), and no option
(allow_hidden, FileContentsManager's traits) turns symlinks off. So a link in a student's home to /etc serves
/etc/shadow to the contents API and /files/ whenever the server's user can read it. This subclass resolves every
path (os.path.realpath) and answers 404 for one that ends outside the resolved root; a listing leaves such entries
out. /files/ goes through the contents manager too (jupyter_server.files.handlers.FilesHandler), not through
Tornado's static file handler, which follows links.

Used by the hub's user servers (config/hub/jupyter_server_config.py).
"""

from __future__ import annotations

import errno
import os

from jupyter_server.files.handlers import FilesHandler
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado.web import HTTPError
from traitlets import default


class OutsideRoot(HTTPError, PermissionError):
    """404 for the API; an OSError (EACCES) for the directory listing, which skips entries raising one."""

    def __init__(self, path: str):
        HTTPError.__init__(self, 404, f"{path} is outside the root folder (it is or passes through a symlink)")
        self.errno = errno.EACCES


def inside(os_path: str, root: str) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(os_path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


class RootOnlyContentsManager(AsyncLargeFileManager):
    """AsyncLargeFileManager (Jupyter Server's default) that refuses paths whose real location is outside root_dir."""

    @default("files_handler_class")
    def _files_handler_class_default(self):
        return FilesHandler

    @default("files_handler_params")
    def _files_handler_params_default(self):
        # FilesHandler is a StaticFileHandler (for its headers) and needs a path; its get() reads through this
        # contents manager, never from this path.
        return {"path": self.root_dir}

    def _get_os_path(self, path):
        os_path = super()._get_os_path(path)
        if not inside(os_path, self.root_dir):
            raise OutsideRoot(path)
        return os_path
