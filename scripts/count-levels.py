#!/usr/bin/env python3
"""Counts the scenarios of features/ per binding level (@mandatory, @recommended, @strict).

An Examples row is one scenario; tags are inherited Feature -> Scenario -> Examples.
Usage: scripts/count-levels.py [FEATURES_DIR]   (default: features)
"""
import pathlib
import sys

LEVELS = ("mandatory", "recommended", "strict")


def count(path):
    totals = {}
    feature_tags, scenario_tags, examples_tags, pending = set(), set(), set(), set()
    in_table = header_seen = False
    side = path.parent.name
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            pending |= {t[1:] for t in line.split()}
            continue
        keyword = line.split(":", 1)[0]
        if keyword == "Feature":
            feature_tags, pending = pending, set()
            in_table = False
        elif keyword in ("Scenario", "Scenario Outline", "Scenario Template"):
            scenario_tags, pending = pending, set()
            in_table = False
            if keyword == "Scenario":
                add(totals, side, feature_tags | scenario_tags)
        elif keyword in ("Examples", "Scenarios"):
            examples_tags, pending = pending, set()
            in_table, header_seen = True, False
        elif line.startswith("|") and in_table:
            if header_seen:
                add(totals, side, feature_tags | scenario_tags | examples_tags)
            header_seen = True
        else:
            in_table = in_table and line.startswith("|")
    return totals


def add(totals, side, tags):
    level = next((lvl for lvl in LEVELS if lvl in tags), "untagged")
    totals[(side, level)] = totals.get((side, level), 0) + 1


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "features")
    totals = {}
    for path in sorted(root.glob("*/*.feature")):
        for key, n in count(path).items():
            totals[key] = totals.get(key, 0) + n
    sides = sorted({s for s, _ in totals})
    print(f"{'side':<8}" + "".join(f"{lvl:>13}" for lvl in LEVELS + ("untagged",)))
    for side in sides:
        print(f"{side:<8}" + "".join(f"{totals.get((side, lvl), 0):>13}" for lvl in LEVELS + ("untagged",)))
    print(f"{'all':<8}" + "".join(
        f"{sum(n for (s, l), n in totals.items() if l == lvl):>13}" for lvl in LEVELS + ("untagged",)))


if __name__ == "__main__":
    main()
