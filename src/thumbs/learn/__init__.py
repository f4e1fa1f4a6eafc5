"""Learning: the estimators, recipes and training that build a thumbs model.

Import each from its module (``from thumbs.learn.nbsvm import NBSVM``): this package
imports nothing itself, so naming a recipe or reading this docstring loads no
scikit-learn.

* :class:`NaiveBayes` - multinomial naive Bayes on presence features, the
  baseline of Pang & Lee (2004);
* :class:`LinearSVM` - linear SVM (squared hinge, L2) on presence features;
* :class:`NBSVM` - Wang & Manning's (2012) SVM over naive-Bayes-scaled
  features;
* :class:`MinCutExtractor` and the baselines :func:`most_subjective`,
  :func:`first_n`, :func:`last_n` - Pang & Lee's minimum-cut subjectivity
  extraction over the sentences of one review.

The classifiers are scikit-learn estimators over a (sparse) document-term
count matrix with string labels, subclasses of :class:`LinearClassifier`
(:mod:`thumbs.learn.base`): for two classes ``decision_function(X) ==
features(X) @ coef_[0] + intercept_[0]`` (positive means ``classes_[1]``), so
a decision splits exactly into per-feature contributions. All offer
``predict_proba`` (Platt scaling for the SVMs, see
:mod:`thumbs.learn.calibration`).

Example:

>>> import numpy as np
>>> from thumbs.learn.nbsvm import NBSVM
>>> X = np.array([[1, 0], [2, 0], [0, 1], [0, 3]])
>>> NBSVM().fit(X, np.array(["pos", "pos", "neg", "neg"])).predict(X).tolist()
['pos', 'pos', 'neg', 'neg']
"""
