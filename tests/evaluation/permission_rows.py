"""Rows of the permission matrix for evaluation's pages and endpoints (see tests/matrix.py)."""

from tests.matrix import Row

ROWS: list[Row] = []
