"""Resolving citations: where answers come from (`sources`), how they are
kept (`cache`) and paced (`pacing`), and how refkit decides (`match`,
`corrections`, `resolver`). The decisions are the same whichever source answers.
"""
