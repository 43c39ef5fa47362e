"""Fails when a conformance report has a failure that docs/conformance.md does not list.

A failure is listed when one table row of the document contains both the exact
request name and the exact assertion text. Prints per-folder counts.
"""
import json
import sys

report_path, doc_path, engine = sys.argv[1], sys.argv[2], sys.argv[3]
report = json.load(open(report_path))
rows = [line for line in open(doc_path, encoding="utf-8") if line.startswith("|")]

for folder, f in report["folders"].items():
    print(f"{engine} {folder}: {f['passed']} passed, {f['failed'] + f['noResponse']} failed")

unlisted = []
for failure in report["failures"]:
    if failure.get("countsAsFailure") is False:
        continue
    request, assertion = failure["request"], failure["assertion"]
    if not any(request in row and assertion in row for row in rows):
        unlisted.append(failure)

for f in unlisted:
    print(f"UNLISTED FAILURE [{f['folder']}] {f['request']} :: {f['assertion']} :: {f.get('message', '')}")
    resp = f.get("response") or {}
    print(f"   last response: {resp.get('status')} {str(resp.get('body', ''))[:300]}")
if report["totals"]["conformancePassed"] == 0:
    print("no conformance assertion passed")
    sys.exit(1)
sys.exit(1 if unlisted else 0)
