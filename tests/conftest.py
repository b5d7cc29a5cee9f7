"""Make tests/ importable as a folder of helpers (labserver.py) for every test module."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
