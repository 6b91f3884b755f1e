"""Barcodes and printable documents from plain values; knows nothing of Flask or the database.

Built by the labels issue: item labels, handover slips, ZPL and SVG barcodes.
"""
