"""Where the tests' fixtures are, wherever a test module sits."""
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
# real portal pages beside the checkout (never copied into the repo); tests that use them skip without
REALPAGES = ROOT.parent / "shared" / "realpages"
