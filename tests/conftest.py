"""Let test modules import the helpers in tests/ (labserver.py), the scripts in tools/ and the dataset
generators in data/ by name."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT / "tests", ROOT / "tools", ROOT / "data"):
    sys.path.insert(0, str(folder))
