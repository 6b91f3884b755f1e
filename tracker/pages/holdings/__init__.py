"""What my unit holds: the list, its filters, and packing a selection into a new transfer."""
