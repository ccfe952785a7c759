"""`make bench`: run every tests/bench/bench_*.py module's ``main()`` (not collected by pytest)."""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    selected = set(argv)
    modules = sorted(p.stem for p in (ROOT / "tests" / "bench").glob("bench_*.py"))
    failed = []
    for name in modules:
        if selected and name not in selected:
            continue
        print(f"== {name}", flush=True)
        try:
            importlib.import_module(f"tests.bench.{name}").main()
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
