#!/usr/bin/python3
"""Validates each line of a PLOVER JSONL file against a JSON Schema.

usage: validate.py SCHEMA FILE.jsonl

An independent check of dipkg's PLOVER writer: Debian's python3-jsonschema
(Draft 2020-12, with the format checker, so "format": "date" is checked).
Prints "N records valid" and exits 0, or prints each error with its line
number and exits 1.
"""
import json
import sys

import jsonschema


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = 0
    n = 0
    with open(sys.argv[2], encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                record = json.loads(line)
            except ValueError as e:
                print(f"{sys.argv[2]}:{n}: not JSON: {e}")
                errors += 1
                continue
            for e in validator.iter_errors(record):
                path = "/".join(str(p) for p in e.absolute_path)
                print(f"{sys.argv[2]}:{n}: {path}: {e.message}")
                errors += 1
    if errors:
        return 1
    print(f"{n} records valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
