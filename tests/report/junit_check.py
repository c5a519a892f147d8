"""Reads a junit.xml with junitparser (an independent JUnit consumer, PyPI) and prints what it
understood as JSON; exits non-zero when the file does not load or its declared counts disagree
with its testcases. Run by tests/report (junit::junitparser_reads_every_judgement).

Usage: python3 junit_check.py junit.xml
"""

import copy
import json
import sys

try:
    import junitparser
except ImportError:
    sys.exit("python3 lacks junitparser: run `python3 -m pip install junitparser` (bash .ci/run does)")


def fail(message):
    sys.exit(f"junit.xml rejected: {message}")


def props(element):
    found = element.child(junitparser.Properties)
    return [[p.name, p.value] for p in found] if found is not None else []


def counts(element):
    return {k: getattr(element, k) for k in ("tests", "failures", "errors", "skipped")}


xml = junitparser.JUnitXml.fromfile(sys.argv[1])
if xml._tag != "testsuites":
    fail(f"root is <{xml._tag}>, expected <testsuites>")
root = {"name": xml.name, "declared": counts(xml), "time": xml.time, "suites": []}
for suite in xml:
    declared = counts(suite)
    time = suite.time  # a FloatAttr: raises when not a number
    recount = copy.deepcopy(suite)
    recount.update_statistics()
    if counts(recount) != declared:
        fail(f"testsuite {suite.name!r} declares {declared}, its testcases say {counts(recount)}")
    cases = []
    for case in suite:
        if not case.name or not case.classname:
            fail(f"a testcase of {suite.name!r} lacks name or classname")
        results = [
            {"kind": r._tag, "message": r.message, "type": r.type, "text": r.text}
            for r in case.result
        ]
        if len(results) > 1:
            fail(f"testcase {case.name!r} has {len(results)} results")
        cases.append(
            {
                "name": case.name,
                "classname": case.classname,
                "time": case.time,
                "result": results[0] if results else None,
                "systemOut": case.system_out,
                "properties": props(case),
            }
        )
    root["suites"].append(
        {
            "name": suite.name,
            "time": time,
            "timestamp": suite.timestamp,
            "declared": declared,
            "properties": props(suite),
            "cases": cases,
        }
    )
recount = copy.deepcopy(xml)
recount.update_statistics()
if counts(recount) != root["declared"]:
    fail(f"<testsuites> declares {root['declared']}, its suites say {counts(recount)}")
json.dump(root, sys.stdout)
