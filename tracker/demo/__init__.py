"""The demo province: its fixed set-up (province.py) and eight weeks of simulated history (history.py)."""
