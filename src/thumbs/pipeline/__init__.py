"""The analysis core, inference only: a Model is named components run in order over a batch.

model (Model, load_model) runs the components over a batch of Reviews (component: what a
component is, and the batch it fills): sentences, subjectivity, extract, sentence_polarity,
verdict, stars, one module each; scorers holds their linear weights; analysis is the result
(the public JSON contract); model_file saves and checks files without pickle; stream analyzes
an endless stream in order, on worker processes if asked.
"""
