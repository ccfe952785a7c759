"""`make bench`: run every tests/bench/bench_*.py module's ``main()`` (not collected by pytest)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    selected = set(argv)
    modules = sorted(p.stem for p in (ROOT / "tests" / "bench").glob("bench_*.py"))
    for name in modules:
        if selected and name not in selected:
            continue
        print(f"== {name}", flush=True)
        importlib.import_module(f"tests.bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
