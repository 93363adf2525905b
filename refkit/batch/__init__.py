"""`refkit batch`: verify millions of references against the whole Crossref
dump on Apache Spark. Candidates come from a blocking join (`keys`), and
the resolver itself decides inside the executors (`candidates`), so a
reference gets the verdict `refkit check --source INDEX` would give it.
pyspark is imported by `job` alone (the optional extra `refkit-doi[spark]`).
"""
