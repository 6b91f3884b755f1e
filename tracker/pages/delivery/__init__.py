"""Delivery to the applicant: scan the packet, record who received it and their signature."""
