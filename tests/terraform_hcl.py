#!/usr/bin/env python3
"""Parses Terraform files with python-hcl2 and prints what it read as JSON.

Usage: terraform_hcl.py DIR...  Prints {"DIR": {"file.tf": <parsed>, ...}, ...}; a file
python-hcl2 cannot parse is an error naming it (exit 1). The offline suite's terraform test
runs it once over every export and checks the references in Rust.
"""
import json
import pathlib
import sys

import hcl2


def main() -> int:
    out = {}
    for d in sys.argv[1:]:
        files = {}
        for path in sorted(pathlib.Path(d).glob("*.tf")):
            try:
                with open(path, encoding="utf-8") as f:
                    files[path.name] = hcl2.load(f)
            except Exception as e:  # noqa: BLE001 - any parse failure is reported the same way
                print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
                return 1
        out[d] = files
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
