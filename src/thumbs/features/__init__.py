"""Features: tokens into n-gram columns.

ngrams names the n-grams; index (NgramIndex) finds their columns with NumPy on token ids,
for inference, over chunk_memo (text bytes to token ids), hash_tables and int_sets;
vectorizer (NgramVectorizer, scikit-learn) makes the same columns as a matrix, for training.
"""
