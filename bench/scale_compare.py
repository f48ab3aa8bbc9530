"""Compare two runs of bench/scale_pages.py: each page's ratio-to-floor in both, and how much the
second grew over the first (ratio of ratios, so machine load between runs cancels out).

    .venv/bin/python bench/scale_compare.py var/bench/1c-10k.json var/bench/150c-10k.json
"""

import json
import sys


def main():
    first, second = (json.load(open(path)) for path in sys.argv[1:3])  # noqa: SIM115
    print(
        f"{'page':<26} {'A ratio':>8} {'B ratio':>8} {'B/A':>6}   A={sys.argv[1]} B={sys.argv[2]}"
    )
    for name, a in first["pages"].items():
        b = second["pages"].get(name)
        if b is None:
            continue
        print(f"{name:<26} {a['ratio']:>8.1f} {b['ratio']:>8.1f} {b['ratio'] / a['ratio']:>6.2f}")


if __name__ == "__main__":
    main()
