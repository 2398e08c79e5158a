"""Rows of the permission matrix for matching's pages and endpoints (see tests/matrix.py)."""

from tests.matrix import Row

ROWS: list[Row] = []
