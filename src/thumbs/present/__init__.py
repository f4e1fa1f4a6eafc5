"""What a person looks at: terminal (one analysis, with rich), report (one HTML page of an
evaluation) and plots (its matplotlib figures, also used by benchmarks/peers.py).
"""
