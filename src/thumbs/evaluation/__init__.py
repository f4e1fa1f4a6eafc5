"""Evaluation: how good a recipe or a trained model is, on data it never trained on.

protocols (folds, k-fold, train/test), metrics (ECE, star errors, binning), results (the rows),
cross_validation (a recipe fold by fold), extracts (Pang & Lee's subjective-extract experiment),
trained_model (a finished model on held-out data), experiments (what `thumbs evaluate` runs),
predictions (what a report keeps per document).
"""
