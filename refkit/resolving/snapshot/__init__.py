"""A local copy of Crossref: the public data file read (`datafile`), each
record cut down to what matching and writing need (`slim`), and kept in one
SQLite file with a DOI key and a full-text index (`store`, built by `build`).
`refkit.resolving.sources.snapshot` answers the resolver's questions from it.
"""
