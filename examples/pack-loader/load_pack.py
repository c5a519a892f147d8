#!/usr/bin/env python3
"""Load a dsop-harness test data pack (format dsop-harness/population@2) without the harness.

A bank vendor's loader in miniature, standard library only: it reads the pack JSON and the
companion NDJSON transaction files it names (streamed line by line), indexes the data per bank
and prints the same "Counts per bank" lines as `dsop-harness fixtures show --file PACK`.

    python3 examples/pack-loader/load_pack.py mocks/population/default.json

The format is described in docs/test-data-pack.md and schemas/population.schema.json. Card
numbers in the pack are raw (synthetic, Luhn-valid, test BINs); your bank masks them when it
answers (digest 3.4.8: at most the first six and last four digits shown, the rest X).
"""

import json
import os
import sys

FORMAT = "dsop-harness/population@2"


def luhn_valid(number):
    """True when every character is a digit and the Luhn check passes."""
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_card_number(raw):
    """How the reference bank masks a stored number: first six and last four digits shown."""
    return raw[:6] + "X" * (len(raw) - 10) + raw[-4:]


def companion_transactions(pack_dir, companion):
    """Yields the transactions of a companion NDJSON file, one at a time."""
    path = os.path.join(pack_dir, companion["path"])
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def load(path):
    """Reads the pack; returns (pack, per-bank counts) after basic checks."""
    with open(path, encoding="utf-8") as f:
        pack = json.load(f)
    if pack.get("format") != FORMAT:
        raise SystemExit(f"{path}: format {pack.get('format')!r}, expected {FORMAT!r}")
    pack_dir = os.path.dirname(os.path.abspath(path))
    counts = {
        bank["orgNumber"]: {"accounts": 0, "transactions": 0, "cards": 0, "edge cases": 0}
        for bank in pack["banks"]
    }
    for account in pack["accounts"]:
        c = counts[account["bank"]]
        c["accounts"] += 1
        c["transactions"] += len(account.get("transactions", []))
        companion = account.get("transactionsFile")
        if companion:
            n = sum(1 for _ in companion_transactions(pack_dir, companion))
            if n != companion["count"]:
                raise SystemExit(f"{companion['path']}: {n} lines, the pack says {companion['count']}")
            c["transactions"] += n
        for card in account.get("cards", []):
            if not luhn_valid(card["cardIdentifier"]):
                raise SystemExit(f"account {account['accountIdentifier']}: card number fails Luhn")
            c["cards"] += 1
    for case in pack.get("edgeCases", []):
        if case.get("bank") in counts:
            counts[case["bank"]]["edge cases"] += 1
    return pack, counts


def main(argv):
    if len(argv) != 2:
        raise SystemExit("usage: load_pack.py PACK.json")
    pack, counts = load(argv[1])
    print("Counts per bank:")
    for bank in pack["banks"]:
        c = counts[bank["orgNumber"]]
        print(
            f"  {bank['orgNumber']}  accounts {c['accounts']}  transactions {c['transactions']}"
            f"  cards {c['cards']}  edge cases {c['edge cases']}"
        )


if __name__ == "__main__":
    main(sys.argv)
