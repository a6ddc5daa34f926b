"""The one split of the labelled corpus into a tuning part and a check part,
shared by bench/accuracy and bench/invariance.

A post is in the check part when the SHA-256 of "SEED:id" falls in the
lower CHECK_SHARE of the range: the split never moves, and a post added to
the corpus later falls into one part without moving any other.
"""
import hashlib

SEED = "grader-accuracy-2026"
CHECK_SHARE = 0.40


def part_of(post_id):
    h = int.from_bytes(hashlib.sha256(f"{SEED}:{post_id}".encode()).digest()[:8], "big")
    return "check" if h < CHECK_SHARE * 2**64 else "tune"
